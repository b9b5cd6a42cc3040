import { createHash, timingSafeEqual } from 'node:crypto'
import { createMiddleware } from 'hono/factory'
import { WORKER_HEADERS, type WorkerIdentity, WorkerIdentitySchema } from '../../shared/internalApi'
import type { AppEnv } from '../context'
import { AppError, Unauthenticated, ValidationFailed } from '../errors'

export type InternalEnv = {
	Variables: AppEnv['Variables'] & { worker: WorkerIdentity }
}

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * Admits queue-mode workers: `Authorization: Bearer <ARBOR_WORKER_TOKEN>` (compared in constant
 * time: both sides hashed to 32 bytes, then `timingSafeEqual`, so neither content nor length
 * leaks) and the worker's identity headers, put on `c.var.worker`. Without a token (embedded
 * mode) the internal API does not exist.
 *
 * @example internal.use(workerAuth(config.ARBOR_WORKER_TOKEN))
 */
export function workerAuth(token: string | undefined) {
	if (token !== undefined && token.length < 16)
		throw new Error('ARBOR_WORKER_TOKEN needs 16+ characters')
	const expected = token === undefined ? null : digest(token)
	return createMiddleware<InternalEnv>(async function workerAuth(c, next) {
		if (!expected) throw new AppError('not_found', 'No internal API: this server runs embedded.')
		const header = c.req.header('authorization') ?? ''
		const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : ''
		if (!timingSafeEqual(digest(given), expected))
			throw Unauthenticated('This needs the worker token (ARBOR_WORKER_TOKEN).')
		const worker = WorkerIdentitySchema.safeParse({
			id: c.req.header(WORKER_HEADERS.id),
			host: c.req.header(WORKER_HEADERS.host),
		})
		if (!worker.success) throw ValidationFailed(worker.error)
		c.set('worker', worker.data)
		c.var.ctx.workers.touch(worker.data)
		await next()
	})
}
