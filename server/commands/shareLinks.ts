import { randomBytes } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import { CLOSE_CODES } from '../../shared/collab'
import type { ShareLinkCreate, ShareLinkCreated } from '../../shared/sharing'
import type { AppContext, BoardRow, UserRow } from '../context'
import type { Db } from '../db/client'
import { sessions, shareLinks, users } from '../db/schema'
import { NotFound, Unprocessable } from '../errors'
import { newId, nowMs } from '../ids'
import { hashShareToken } from '../queries/access'
import { shareLinkView } from '../queries/shareLinks'
import { recordAudit } from './audit'

/** Where a link token opens in the client: `${origin}/s/${token}`. */
export const shareUrl = (origin: string, token: string) => `${origin}/s/${token}`

/**
 * Creates a share link on a board. The token (32 random bytes, base64url) is returned once, in
 * the response; only its SHA-256 is stored, so a leaked database opens no board. An expiry must
 * be in the future: a link born expired is a mistake the owner should hear about (422).
 */
export function shareLinkCreate(
	db: Db,
	options: { board: BoardRow; user: UserRow; input: ShareLinkCreate; origin: string },
): ShareLinkCreated {
	const { board, user, input } = options
	const now = nowMs()
	const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : null
	if (expiresAt !== null && expiresAt <= now)
		throw Unprocessable(
			`expiresAt must be in the future; ${new Date(expiresAt).toISOString()} has already passed.`,
		)
	const token = randomBytes(32).toString('base64url')
	const link = db.transaction((tx) => {
		const row = tx
			.insert(shareLinks)
			.values({
				id: newId('shareLink'),
				boardId: board.id,
				role: input.role,
				tokenHash: hashShareToken(token),
				label: input.label ?? '',
				createdBy: user.id,
				expiresAt,
			})
			.returning()
			.get()
		recordAudit(tx, {
			boardId: board.id,
			actorId: user.id,
			action: 'share_link.created',
			target: row.id,
			detail: { role: row.role, expiresAt: input.expiresAt ?? null, label: row.label },
		})
		return row
	})
	return {
		...shareLinkView(link, { createdBy: { id: user.id, name: user.name }, guests: 0 }, now),
		token,
		url: shareUrl(options.origin, token),
	}
}

/**
 * Revokes a link: it opens nothing from now on. Every socket opened with it, and every socket of
 * a guest who joined through it, is closed at once (4403, which y-websocket does not retry), and
 * those guests' sessions are deleted so their next request is a 401. Revoking twice is harmless
 * and audited once.
 */
export function shareLinkRevoke(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; linkId: string },
): void {
	const { board, user, linkId } = options
	const guestIds = ctx.db.transaction((tx) => {
		const link = tx
			.select()
			.from(shareLinks)
			.where(and(eq(shareLinks.id, linkId), eq(shareLinks.boardId, board.id)))
			.get()
		if (!link) throw NotFound('The share link')
		if (link.revokedAt === null) {
			tx.update(shareLinks).set({ revokedAt: nowMs() }).where(eq(shareLinks.id, link.id)).run()
			recordAudit(tx, {
				boardId: board.id,
				actorId: user.id,
				action: 'share_link.revoked',
				target: link.id,
				detail: { role: link.role },
			})
		}
		const guests = tx
			.select({ id: users.id })
			.from(users)
			.where(eq(users.guestLinkId, link.id))
			.all()
			.map((g) => g.id)
		if (guests.length > 0) tx.delete(sessions).where(inArray(sessions.userId, guests)).run()
		return new Set(guests)
	})
	ctx.sockets.closeConnections(
		board.id,
		(c) => c.shareLinkId === linkId || guestIds.has(c.userId),
		CLOSE_CODES.forbidden,
	)
}
