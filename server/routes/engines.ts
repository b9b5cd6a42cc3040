import { Hono } from 'hono'
import type { EnginesReply } from '../../shared/engines'
import type { AppEnv } from '../context'

/**
 * `GET /api/engines` — the engines that can run jobs now (the embedded one, or those live
 * workers announce): capabilities (ops, sizes, seeds, batch, previews, upscale factors) and
 * models. The UI hides ops a node's engine cannot run; the server refuses them with a 422.
 */
export const engines = new Hono<AppEnv>().get('/', (c) => {
	const body: EnginesReply = { engines: c.var.ctx.engines.list() }
	return c.json(body)
})
