import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { LoginSchema, SignupSchema } from '../../shared/api'
import {
	SESSION_COOKIE,
	SESSION_TTL_MS,
	sessionCreate,
	sessionDelete,
	userLogin,
	userSignup,
} from '../commands/auth'
import type { AppEnv } from '../context'
import { requestOrigin } from '../http/clientAddress'
import { validate } from '../middleware/validate'
import { userView } from '../queries/views'

/**
 * Starts a session and sets its cookie. `expiresAt` ends it early (a guest's session ends with
 * their share link); the cookie's max-age follows it.
 */
export function startSession(
	c: Context<AppEnv>,
	db: AppEnv['Variables']['ctx']['db'],
	userId: string,
	expiresAt: number | null = null,
) {
	const ttlMs = Math.min(
		SESSION_TTL_MS,
		expiresAt === null ? SESSION_TTL_MS : expiresAt - Date.now(),
	)
	setCookie(c, SESSION_COOKIE, sessionCreate(db, userId, { expiresAt }), {
		httpOnly: true,
		sameSite: 'Lax',
		path: '/',
		secure: isHttps(c),
		maxAge: Math.max(1, Math.ceil(ttlMs / 1000)),
	})
}

/**
 * Whether people reach Arbor over https: the request came over it (a trusted proxy's
 * `X-Forwarded-Proto` says so), or ARBOR_PUBLIC_URL is https. The cookie is then `Secure`.
 */
function isHttps(c: Context<AppEnv>): boolean {
	const { config, trustedProxies } = c.var.ctx
	if (config.ARBOR_PUBLIC_URL?.startsWith('https:')) return true
	return requestOrigin(c, trustedProxies).protocol === 'https'
}

export const auth = new Hono<AppEnv>()
	.post('/signup', validate('json', SignupSchema), async (c) => {
		const { address } = requestOrigin(c, c.var.ctx.trustedProxies)
		const user = await userSignup(c.var.ctx, c.req.valid('json'), address)
		startSession(c, c.var.ctx.db, user.id)
		return c.json({ user: userView(user) }, 201)
	})
	.post('/login', validate('json', LoginSchema), async (c) => {
		const { email, password } = c.req.valid('json')
		const { address } = requestOrigin(c, c.var.ctx.trustedProxies)
		const user = await userLogin(c.var.ctx, { email, password, address })
		startSession(c, c.var.ctx.db, user.id)
		return c.json({ user: userView(user) }, 200)
	})
	.post('/logout', async (c) => {
		sessionDelete(c.var.ctx.db, getCookie(c, SESSION_COOKIE))
		deleteCookie(c, SESSION_COOKIE, { path: '/' })
		return c.body(null, 204)
	})
