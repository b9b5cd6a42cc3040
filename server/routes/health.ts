import { Hono } from 'hono'
import type { Health } from '../../shared/queue'
import type { AppEnv } from '../context'
import { BullmqQueue } from '../jobs/bullmqQueue'
import { EMBEDDED_WORKER } from '../jobs/lifecycle'

/** `GET /api/health`: which mode, whether Redis answers, which workers were seen recently. */
export const health = new Hono<AppEnv>().get('/', async (c) => {
	const { ctx } = c.var
	const pending = ctx.queue.pending()
	const running = pending.filter((j) => j.status === 'running').length
	const queue = { queued: pending.length - running, running }
	if (ctx.queue instanceof BullmqQueue) {
		const reachable = await ctx.queue.ping()
		const workers = ctx.workers.recent().map((w) => ({
			id: w.id,
			host: w.host,
			concurrency: w.concurrency,
			active: w.active.length,
			backend: w.backend,
			lastSeenAt: new Date(w.lastSeenAt).toISOString(),
		}))
		const status = !reachable ? 'down' : workers.length === 0 ? 'degraded' : 'ok'
		const body: Health = { status, mode: 'queue', redis: { reachable }, workers, queue }
		return c.json(body, reachable ? 200 : 503)
	}
	const body: Health = {
		status: 'ok',
		mode: 'embedded',
		redis: null,
		workers: [
			{
				...EMBEDDED_WORKER,
				concurrency: ctx.config.ARBOR_CONCURRENCY,
				active: running,
				backend: ctx.config.ARBOR_BACKEND,
				lastSeenAt: new Date().toISOString(),
			},
		],
		queue,
	}
	return c.json(body, 200)
})

/** `GET /metrics`: Prometheus text format. */
export const metrics = new Hono<AppEnv>().get('/', async (c) => {
	const { registry } = c.var.ctx.metrics
	return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType })
})
