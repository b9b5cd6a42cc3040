// The ESRGAN thread's first file. A worker thread starts as plain Node, whatever loaded its parent:
// `tsx` hooks are not guaranteed to be inherited (vitest has none), and Node 20 cannot run
// TypeScript itself. tsImport() registers tsx scoped to this one import, so the entry runs the
// same under `tsx server/main.ts`, `tsx worker/main.ts`, `tsx bench/run.ts` and vitest.
import { tsImport } from 'tsx/esm/api'

await tsImport('./esrganThreadEntry.ts', import.meta.url)
