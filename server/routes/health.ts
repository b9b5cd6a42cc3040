import { Hono } from 'hono'
import type { Health, HealthStatus } from '../../shared/queue'
import type { AppEnv } from '../context'
import { Unauthenticated } from '../errors'
import { BullmqQueue } from '../jobs/bullmqQueue'
import { EMBEDDED_WORKER } from '../jobs/lifecycle'
import { isMonitor } from '../middleware/monitorAuth'

/**
 * `GET /api/health`: to anyone, bare liveness (`{ status }`, 503 when Redis is down). With the
 * metrics (or worker) token, the detail: mode, whether Redis answers, which workers were seen
 * recently on which hosts, and the queue — an outsider has no use for those.
 */
export const health = new Hono<AppEnv>().get('/', async (c) => {
	const { ctx } = c.var
	if (!isMonitor(c)) {
		const reachable = ctx.queue instanceof BullmqQueue ? await ctx.queue.ping() : true
		const status = !reachable
			? 'down'
			: ctx.queue instanceof BullmqQueue && ctx.workers.recent().length === 0
				? 'degraded'
				: 'ok'
		const body: HealthStatus = { status }
		return c.json(body, reachable ? 200 : 503)
	}
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
		const body: Health = {
			status,
			mode: 'queue',
			redis: { reachable },
			workers,
			queue,
			engines: ctx.engines.list(),
		}
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
		engines: ctx.engines.list(),
	}
	return c.json(body, 200)
})

/** `GET /metrics`: Prometheus text format, for holders of the metrics (or worker) token. */
export const metrics = new Hono<AppEnv>().get('/', async (c) => {
	if (!isMonitor(c))
		throw Unauthenticated('Metrics need `Authorization: Bearer <ARBOR_METRICS_TOKEN>`.')
	const { registry } = c.var.ctx.metrics
	return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType })
})
