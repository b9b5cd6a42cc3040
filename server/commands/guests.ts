import type { AccessRole } from '../../shared/api'
import type { ShareInfo } from '../../shared/sharing'
import type { AppContext, UserRow } from '../context'
import type { Db } from '../db/client'
import { users } from '../db/schema'
import { AppError, Forbidden, TooManyAttempts } from '../errors'
import { newId, toIso } from '../ids'
import { getRole, linkState, type ShareLinkRow, shareLinkByToken } from '../queries/access'
import { getBoard } from '../queries/views'
import { recordAudit } from './audit'
import { userColor } from './auth'

/**
 * Not an scrypt hash, so `verifyPassword` answers false without throwing and no password ever
 * signs a guest in (their email is also mixed-case and `.invalid`, which login never matches).
 */
export const GUEST_PASSWORD_HASH = 'guest$no-password'

const linkNotFound = () =>
	new AppError('not_found', 'This share link does not exist or was revoked by the board owner.')

/**
 * The live link a token opens. Unknown and revoked tokens are the same 404 (a revoked token
 * tells nothing about the board); an expired one is a 403 naming when it expired.
 */
export function requireLiveLink(db: Db, token: string): ShareLinkRow {
	const link = shareLinkByToken(db, token)
	const state = link ? linkState(link) : 'revoked'
	if (!link || state === 'revoked') throw linkNotFound()
	if (state === 'expired')
		throw Forbidden(
			`This link expired on ${toIso(link.expiresAt)}. Ask the board owner for a new one.`,
		)
	return link
}

/** What a token opens, shown before joining: the board's name, the role and the expiry. */
export function shareInfo(db: Db, token: string): ShareInfo {
	const link = requireLiveLink(db, token)
	const board = getBoard(db, link.boardId)
	if (!board) throw linkNotFound()
	return {
		board: { id: board.id, name: board.name },
		role: link.role,
		expiresAt: toIso(link.expiresAt),
	}
}

export type GuestJoinResult =
	| { created: false; user: UserRow; boardId: string; role: AccessRole }
	/** A new guest: the caller starts a session for them that ends no later than `expiresAt`. */
	| { created: true; user: UserRow; boardId: string; role: AccessRole; expiresAt: number | null }

/**
 * Joins a board through a share link. A caller already signed in as a member of the board, or
 * as a guest of this very link, keeps their identity (nothing is created). Anyone else becomes a
 * new guest: a user with no password whose access is the link's role, for as long as the link
 * is live (`getRole`). Audited as `share_link.joined`. New guests are rate-limited per address
 * and per link (429 with `Retry-After`): each is a user row and a session.
 */
export function guestJoin(
	ctx: Pick<AppContext, 'db' | 'limits'>,
	options: { token: string; name: string; caller: UserRow | null; address: string },
): GuestJoinResult {
	const { db, limits } = ctx
	const link = requireLiveLink(db, options.token)
	const { caller } = options
	if (caller) {
		const role = getRole(db, link.boardId, caller.id)
		const isMember = caller.guestLinkId === null && role !== null
		if (role && (isMember || caller.guestLinkId === link.id))
			return { created: false, user: caller, boardId: link.boardId, role }
	}
	const wait = Math.max(
		limits.guestJoinAddress.retryAfterMs(options.address),
		limits.guestJoinLink.retryAfterMs(link.id),
	)
	if (wait > 0) throw TooManyAttempts(wait, 'Too many people joined through this link just now.')
	limits.guestJoinAddress.record(options.address)
	limits.guestJoinLink.record(link.id)
	const id = newId('user')
	const user = db.transaction((tx) => {
		const guest = tx
			.insert(users)
			.values({
				id,
				email: `guest-${id}@guests.invalid`,
				name: options.name,
				passwordHash: GUEST_PASSWORD_HASH,
				color: userColor(id),
				guestLinkId: link.id,
			})
			.returning()
			.get()
		recordAudit(tx, {
			boardId: link.boardId,
			actorId: guest.id,
			action: 'share_link.joined',
			target: link.id,
			detail: { role: link.role, name: guest.name },
		})
		return guest
	})
	return { created: true, user, boardId: link.boardId, role: link.role, expiresAt: link.expiresAt }
}
