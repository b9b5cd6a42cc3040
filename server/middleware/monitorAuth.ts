import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import type { AppEnv } from '../context'

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * Whether a request carries a monitoring token: `Authorization: Bearer <ARBOR_METRICS_TOKEN>`, or
 * the worker token (a worker fleet's operator already holds it). Compared in constant time, as the
 * worker API does. Without either token configured, nobody is a monitor: health detail and metrics
 * stay private rather than open.
 *
 * @example if (!isMonitor(c)) return c.json({ status })
 */
export function isMonitor(c: Context<AppEnv>): boolean {
	const { ARBOR_METRICS_TOKEN, ARBOR_WORKER_TOKEN } = c.var.ctx.config
	const header = c.req.header('authorization') ?? ''
	if (!header.startsWith('Bearer ')) return false
	const given = digest(header.slice('Bearer '.length))
	let ok = false
	// Both compared whatever the first says, so timing does not tell which token matched.
	for (const token of [ARBOR_METRICS_TOKEN, ARBOR_WORKER_TOKEN])
		if (token !== undefined && timingSafeEqual(given, digest(token))) ok = true
	return ok
}
