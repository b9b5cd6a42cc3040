import { count, desc, eq } from 'drizzle-orm'
import type { ShareLink } from '../../shared/sharing'
import type { Db } from '../db/client'
import { shareLinks, users } from '../db/schema'
import { nowMs, toIso } from '../ids'
import { linkState, type ShareLinkRow } from './access'

/** The owner's view of one link: never its token (only a hash is stored). */
export function shareLinkView(
	link: ShareLinkRow,
	extra: { createdBy: { id: string; name: string }; guests: number },
	now = nowMs(),
): ShareLink {
	return {
		id: link.id,
		role: link.role,
		label: link.label,
		createdBy: extra.createdBy,
		createdAt: toIso(link.createdAt) ?? '',
		expiresAt: toIso(link.expiresAt),
		revokedAt: toIso(link.revokedAt),
		state: linkState(link, now),
		guests: extra.guests,
	}
}

/** How many guests joined through a link. */
export function guestCount(db: Pick<Db, 'select'>, linkId: string): number {
	return db.select({ n: count() }).from(users).where(eq(users.guestLinkId, linkId)).get()?.n ?? 0
}

/** A board's share links, newest first, live or not, with who made each and its guest count. */
export function shareLinksOf(db: Db, boardId: string): ShareLink[] {
	const now = nowMs()
	return db
		.select({ link: shareLinks, creator: { id: users.id, name: users.name } })
		.from(shareLinks)
		.innerJoin(users, eq(users.id, shareLinks.createdBy))
		.where(eq(shareLinks.boardId, boardId))
		.orderBy(desc(shareLinks.createdAt), desc(shareLinks.id))
		.all()
		.map(({ link, creator }) =>
			shareLinkView(link, { createdBy: creator, guests: guestCount(db, link.id) }, now),
		)
}
