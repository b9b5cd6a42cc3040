import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'

/**
 * The page's content security policy. Everything comes from Arbor's own origin: scripts, styles,
 * fonts, images, API calls and the board socket (CSP3 `'self'` covers `ws:`/`wss:` to the same
 * host). What tldraw needs beyond that is local, never remote: inline `style` attributes (it
 * positions every shape with them), `data:` fonts/icons/cursors, translations Vite inlines as
 * `data:` JSON that tldraw fetches, and `blob:` images and workers it creates itself. No page may frame Arbor (`frame-ancestors`): a framed board could be
 * clickjacked into approving or committing.
 */
export const CONTENT_SECURITY_POLICY = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self' 'unsafe-inline'",
	"img-src 'self' data: blob:",
	"font-src 'self' data:",
	"connect-src 'self' data: blob:",
	"media-src 'self' data: blob:",
	"worker-src 'self' blob:",
	"object-src 'none'",
	"base-uri 'self'",
	"form-action 'self'",
	"frame-ancestors 'none'",
].join('; ')

const HEADERS: Record<string, string> = {
	'Content-Security-Policy': CONTENT_SECURITY_POLICY,
	'X-Content-Type-Options': 'nosniff',
	// Share links carry their token in the path: never send it to another site.
	'Referrer-Policy': 'same-origin',
	// frame-ancestors for browsers that predate it.
	'X-Frame-Options': 'DENY',
}

/**
 * Sets the security headers on every response — pages, assets, API answers and errors — unless a
 * route set a stricter one itself (image files carry `default-src 'none'; sandbox`).
 *
 * @example app.use(securityHeaders())
 */
export function securityHeaders() {
	return createMiddleware<AppEnv>(async function securityHeaders(c, next) {
		await next()
		for (const [name, value] of Object.entries(HEADERS))
			if (!c.res.headers.has(name)) c.res.headers.set(name, value)
	})
}
