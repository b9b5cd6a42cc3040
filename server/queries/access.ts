import { createHash } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type { AccessRole } from '../../shared/api'
import type { Db } from '../db/client'
import { preparedFor } from '../db/prepared'
import { members, shareLinks, users } from '../db/schema'
import { nowMs } from '../ids'

// Who may reach a board, and how: a member's role, or — for a guest, who has no membership — the
// role of the share link they joined through, for as long as that link is live.

export type ShareLinkRow = typeof shareLinks.$inferSelect

export const hashShareToken = (token: string) => createHash('sha256').update(token).digest('hex')

/** Why a link no longer opens, or `active`. */
export function linkState(link: ShareLinkRow, now = nowMs()): 'active' | 'expired' | 'revoked' {
	if (link.revokedAt !== null) return 'revoked'
	if (link.expiresAt !== null && link.expiresAt <= now) return 'expired'
	return 'active'
}

/** The link a token opens, live or not; undefined for a token nobody issued. */
export function shareLinkByToken(db: Db, token: string): ShareLinkRow | undefined {
	if (!token || token.length > 100) return undefined
	return db
		.select()
		.from(shareLinks)
		.where(eq(shareLinks.tokenHash, hashShareToken(token)))
		.get()
}

export function shareLinkById(db: Db, linkId: string): ShareLinkRow | undefined {
	return db.select().from(shareLinks).where(eq(shareLinks.id, linkId)).get()
}

// Both read on every board request (and per image file): prepared once, see `preparedFor`.
const roleQueries = preparedFor((db) => ({
	member: db
		.select({ role: members.role })
		.from(members)
		.where(
			and(
				eq(members.boardId, sql.placeholder('boardId')),
				eq(members.userId, sql.placeholder('userId')),
			),
		)
		.prepare(),
	guest: db
		.select({ link: shareLinks })
		.from(users)
		.innerJoin(shareLinks, eq(shareLinks.id, users.guestLinkId))
		.where(eq(users.id, sql.placeholder('userId')))
		.prepare(),
}))

/**
 * The user's access to the board, or null: a member's role, or a guest's link role while the
 * link is live. Read on every request and every socket upgrade, so revoking takes effect at once.
 * A guest's access is their link's and nothing else: a membership row naming a guest (none can be
 * made today; older instances let guests create boards) opens nothing.
 */
export function getRole(db: Db, boardId: string, userId: string): AccessRole | null {
	const queries = roleQueries(db)
	const guest = queries.guest.get({ userId })
	if (guest)
		return guest.link.boardId === boardId && linkState(guest.link) === 'active'
			? guest.link.role
			: null
	return queries.member.get({ boardId, userId })?.role ?? null
}
