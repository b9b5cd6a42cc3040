import { benchCoreLoop } from './coreLoop'
import { benchFanout } from './fanout'
import { benchGenerator } from './generator'
import { benchQueue } from './queue'

// `npm run bench`: each benchmark prints its figures as ratios against a baseline measured in the
// same run, so results compare across machines. Timing goals live here, never in tests.
await benchGenerator()
await benchCoreLoop()
await (await import('./upscaleLoop')).benchUpscaleLoop()
// Queue mode needs Redis (REDIS_URL or 127.0.0.1:6379); without it those figures are skipped.
await benchQueue()
await (await import('./faults')).benchFaults()
await benchFanout()
