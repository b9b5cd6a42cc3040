import { afterAll, beforeAll, describe, it } from 'vitest'
import { tempDir } from '../test/factories'
import { FuzzServer } from './syncFuzzKit'
import { runSession } from './syncFuzzSession'

// The sync fuzz: FUZZ_SEEDS seeded sessions (default 500) against one restartable server, in
// batches. A failing seed is named; `FUZZ_SEED=123 npx vitest run server/collab/syncFuzz.test.ts`
// replays it alone.

const only = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined
const count = Number(process.env.FUZZ_SEEDS ?? 500)
const seeds = only === undefined ? Array.from({ length: count }, (_, i) => i + 1) : [only]
const BATCH = 50
const batches: number[][] = []
for (let i = 0; i < seeds.length; i += BATCH) batches.push(seeds.slice(i, i + BATCH))

let tmp: ReturnType<typeof tempDir>
let server: FuzzServer

beforeAll(async () => {
	tmp = tempDir('arbor-fuzz-')
	server = new FuzzServer(`${tmp.dir}/arbor.db`)
	await server.start()
})
afterAll(async () => {
	await server.stop()
	tmp.remove()
})

describe('sync fuzz', () => {
	it.each(batches.map((batch) => [batch[0], batch.at(-1), batch] as const))(
		'converges for seeds %i–%i: every peer holds the server’s records, viewers and clients change nothing, the doc reloads from SQLite',
		async (_first, _last, batch) => {
			for (const seed of batch) {
				try {
					await runSession({ seed, server })
				} catch (err) {
					const message = err instanceof Error ? err.message : String(err)
					throw new Error(
						`seed ${seed} failed: ${message}\n  replay: FUZZ_SEED=${seed} npx vitest run server/collab/syncFuzz.test.ts`,
						{ cause: err },
					)
				}
			}
		},
		120_000,
	)
})
