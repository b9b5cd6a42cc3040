import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { ACCESS_ROLES, type AccessRole } from '../../shared/api'
import { BoardIdSchema } from '../../shared/ids'
import { SESSION_COOKIE, sessionUser } from '../commands/auth'
import type { AppEnv } from '../context'
import { Forbidden, NotFound, Unauthenticated } from '../errors'
import { getRole } from '../queries/access'
import { getBoard } from '../queries/views'

/** Requires a signed-in user (session cookie) and puts it on `c.var.user`. */
export const requireUser = createMiddleware<AppEnv>(async function requireUser(c, next) {
	const user = sessionUser(c.var.ctx.db, getCookie(c, SESSION_COOKIE))
	if (!user) throw Unauthenticated()
	c.set('user', user)
	await next()
})

/**
 * Refuses guests (share-link users): their access is their link's board and nothing else, so
 * routes outside a board (listing or creating boards, account usage) are for accounts only.
 * @example boards.post('/', requireAccount, handler)
 */
export const requireAccount = createMiddleware<AppEnv>(async function requireAccount(c, next) {
	if (c.var.user.guestLinkId !== null)
		throw Forbidden('Guests reach only the board they were invited to. Sign up for your own.')
	await next()
})

/** owner > editor > viewer > client: a route open to viewers is closed to clients. */
const rank = (role: AccessRole) => ACCESS_ROLES.length - ACCESS_ROLES.indexOf(role)

/**
 * Loads `:boardId` and the user's role on it, and refuses anyone below `minRole`.
 * @example boards.get('/:boardId', boardAccess('viewer'), handler)
 */
export function boardAccess(minRole: AccessRole) {
	if (!ACCESS_ROLES.includes(minRole)) throw new Error(`boardAccess: unknown role ${minRole}`)
	return createMiddleware<AppEnv>(async function boardAccess(c, next) {
		const boardId = c.req.param('boardId')
		if (!boardId || !BoardIdSchema.safeParse(boardId).success) throw NotFound('The board')
		const board = getBoard(c.var.ctx.db, boardId)
		if (!board) throw NotFound('The board')
		const role = getRole(c.var.ctx.db, board.id, c.var.user.id)
		if (!role) throw Forbidden('You are not a member of this board. Ask its owner for access.')
		if (rank(role) < rank(minRole))
			throw Forbidden(`This needs the ${minRole} role on this board; you are a ${role}.`)
		c.set('board', board)
		c.set('role', role)
		await next()
	})
}
