import { benchCoreLoop } from './coreLoop'
import { benchGenerator } from './generator'

// `npm run bench`: each benchmark prints its figures as ratios against a baseline measured in the
// same run, so results compare across machines. Timing goals live here, never in tests.
await benchGenerator()
await benchCoreLoop()
