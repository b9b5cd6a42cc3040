import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { GuestJoinSchema } from '../../shared/sharing'
import { SESSION_COOKIE, sessionUser } from '../commands/auth'
import { guestJoin, shareInfo } from '../commands/guests'
import type { AppEnv } from '../context'
import { requestOrigin } from '../http/clientAddress'
import { validate } from '../middleware/validate'
import { userView } from '../queries/views'
import { startSession } from './auth'

/**
 * `/api/share/:token`: opening a share link. No sign-in: the token is the credential. Joining
 * makes the caller a guest (a session cookie), unless they are already a member of the board.
 */
export const share = new Hono<AppEnv>()
	.get('/:token', (c) => c.json(shareInfo(c.var.ctx.db, c.req.param('token'))))
	.post('/:token/join', validate('json', GuestJoinSchema), (c) => {
		const { db } = c.var.ctx
		const joined = guestJoin(c.var.ctx, {
			token: c.req.param('token'),
			name: c.req.valid('json').name,
			caller: sessionUser(db, getCookie(c, SESSION_COOKIE)),
			address: requestOrigin(c, c.var.ctx.trustedProxies).address,
		})
		const body = { user: userView(joined.user), boardId: joined.boardId, role: joined.role }
		if (!joined.created) return c.json(body, 200)
		startSession(c, db, joined.user.id, joined.expiresAt)
		return c.json(body, 201)
	})
