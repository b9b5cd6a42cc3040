import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'
import { AppError, Forbidden } from '../errors'
import { requestOrigin } from '../http/clientAddress'
import type { OriginPolicy } from '../http/originPolicy'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses writes (anything but GET/HEAD/OPTIONS) sent by a page of another origin: a form or a
 * `fetch` from another port or subdomain would carry the session cookie (SameSite=Lax).
 * @example app.use('/api/*', sameOriginWrites(createOriginPolicy(config)))
 */
export function sameOriginWrites(policy: OriginPolicy) {
	return createMiddleware<AppEnv>(async function sameOriginWrites(c, next) {
		if (SAFE_METHODS.has(c.req.method)) return next()
		const allowed = policy.allows({
			origin: c.req.header('origin'),
			secFetchSite: c.req.header('sec-fetch-site'),
			host: c.req.header('host'),
			protocol: requestOrigin(c, c.var.ctx.trustedProxies).protocol,
		})
		if (!allowed) throw Forbidden('Requests from other sites cannot change anything in Arbor.')
		await next()
	})
}

const isJson = (type: string | undefined) =>
	/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type?.trim() ?? '')

/**
 * A body sent to a JSON route must say it is JSON (415 otherwise): what a form or a `text/plain`
 * fetch cannot say without a CORS preflight, which Arbor never grants. `except` names the
 * requests that carry other bodies (the upload route's image bytes).
 */
export function jsonBodies(options: { except(method: string, path: string): boolean }) {
	return createMiddleware<AppEnv>(async function jsonBodies(c, next) {
		if (SAFE_METHODS.has(c.req.method) || options.except(c.req.method, c.req.path)) return next()
		const length = c.req.header('content-length')
		const hasBody =
			(length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined
		if (hasBody && !isJson(c.req.header('content-type')))
			throw new AppError('unsupported_media_type', 'Send this request’s body as application/json.')
		await next()
	})
}
