import type { IncomingMessage } from 'node:http'
import { SESSION_COOKIE, sessionUser, userColor } from '../commands/auth'
import type { Db } from '../db/client'
import { resolveRequestOrigin } from '../http/clientAddress'
import type { OriginPolicy } from '../http/originPolicy'
import { newId } from '../ids'
import { getRole, linkState, shareLinkByToken } from '../queries/access'
import { getBoard } from '../queries/views'
import type { Authorize, AuthorizeResult } from './upgradeAuth'

function cookieValue(req: IncomingMessage, name: string): string | undefined {
	for (const part of (req.headers.cookie ?? '').split(';')) {
		const [key, ...rest] = part.trim().split('=')
		if (key === name) {
			try {
				return decodeURIComponent(rest.join('='))
			} catch {
				// A malformed %-escape is no session token we issued.
				return undefined
			}
		}
	}
	return undefined
}

function originAllowed(req: IncomingMessage, policy: OriginPolicy, trusted: ReadonlySet<string>) {
	const header = (name: string) => {
		const value = req.headers[name]
		return Array.isArray(value) ? value[0] : value
	}
	const { protocol } = resolveRequestOrigin({
		peer: req.socket.remoteAddress,
		header,
		protocol: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
		trusted,
	})
	return policy.allows({
		origin: header('origin'),
		secFetchSite: header('sec-fetch-site'),
		host: header('host'),
		protocol,
	})
}

/** `?share=<token>` on the upgrade URL, if any. */
function shareToken(req: IncomingMessage): string | null {
	return new URL(req.url ?? '/', 'http://localhost').searchParams.get('share')
}

/**
 * Decides who opens a board socket and with what role, once, at the upgrade.
 *
 * - With `?share=<token>`: the token must open a live link of this very board, else the socket
 *   is refused (4403: y-websocket does not retry). The role is the link's, whoever connects — a
 *   member who wants their own role connects without the token — and the connection carries the
 *   link id, so revoking the link closes it. The identity is the session's user when the cookie
 *   is valid, else an anonymous guest named "Guest" with a fresh user id.
 * - Without: the session cookie's user, with their role from `getRole` (a member's role, or a
 *   guest's link role while that link is live).
 */
export function createUpgradeAuthorizer(
	db: Db,
	options: { originPolicy?: OriginPolicy; trustedProxies?: ReadonlySet<string> } = {},
): Authorize {
	const { originPolicy, trustedProxies = new Set<string>() } = options
	return async function authorizeUpgrade(req, boardId): Promise<AuthorizeResult> {
		// A page of another origin must not open a socket with the visitor's cookie (or a token it
		// holds) and read the board: browsers always send Origin on an upgrade.
		if (originPolicy && !originAllowed(req, originPolicy, trustedProxies))
			return { ok: false, reason: 'forbidden' }
		const user = sessionUser(db, cookieValue(req, SESSION_COOKIE))
		const token = shareToken(req)
		if (token !== null) {
			const link = shareLinkByToken(db, token)
			if (!link || link.boardId !== boardId || linkState(link) !== 'active')
				return { ok: false, reason: 'forbidden' }
			const id = user?.id ?? newId('user')
			return {
				ok: true,
				user: user
					? { id: user.id, name: user.name, color: user.color }
					: { id, name: 'Guest', color: userColor(id) },
				role: link.role,
				shareLinkId: link.id,
			}
		}
		if (!user) return { ok: false, reason: 'unauthenticated' }
		if (!getBoard(db, boardId)) return { ok: false, reason: 'not_found' }
		const role = getRole(db, boardId, user.id)
		if (!role) return { ok: false, reason: 'forbidden' }
		return { ok: true, user: { id: user.id, name: user.name, color: user.color }, role }
	}
}
