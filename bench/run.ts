import { benchAdapterOverhead } from './adapterOverhead'
import { benchBoardScale } from './boardScale'
import { benchCapacity } from './capacity'
import { benchCoreLoop } from './coreLoop'
import { benchDocHealth } from './docHealth'
import { benchFanout } from './fanout'
import { benchFaults } from './faults'
import { benchGenerator } from './generator'
import { benchLoginFlood } from './loginFlood'
import { benchPlacement } from './placement'
import { benchQueue } from './queue'
import { benchUpscaleLoop } from './upscaleLoop'

// `npm run bench`: each benchmark prints its figures as ratios against a baseline measured in the
// same run, so results compare across machines. Timing goals live here, never in tests.
await benchGenerator()
await benchCoreLoop()
await benchUpscaleLoop()
await benchLoginFlood()
await benchPlacement()
// Queue mode needs Redis (REDIS_URL or 127.0.0.1:6379); without it those figures are skipped.
await benchQueue()
// The ComfyUI adapter around a fake ComfyUI; queue mode skipped without Redis.
await benchAdapterOverhead()
await benchFaults()
await benchFanout()
// #13: the stored doc after 100,000 edits, and how many people one server process holds.
await benchDocHealth()
await benchCapacity()
// Needs /usr/bin/chromium; skipped without it.
await benchBoardScale()
