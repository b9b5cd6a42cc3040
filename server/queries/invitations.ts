import { asc, desc, eq } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { BoardInvitation, MyInvitation } from '../../shared/sharing'
import type { InvitationRow } from '../commands/invitations'
import type { UserRow } from '../context'
import type { Db } from '../db/client'
import { boards, invitations, users } from '../db/schema'
import { toIso } from '../ids'

const inviter = alias(users, 'inviter')

/** An invitation as the board's owner sees it. */
export function boardInvitationView(
	row: InvitationRow,
	invitedBy: { id: string; name: string },
): BoardInvitation {
	return {
		id: row.id,
		email: row.email,
		role: row.role,
		invitedBy,
		createdAt: toIso(row.createdAt)!,
	}
}

/** A board's pending invitations, oldest first (owners). */
export function boardInvitationsOf(db: Db, boardId: string): BoardInvitation[] {
	return db
		.select({ row: invitations, invitedBy: { id: inviter.id, name: inviter.name } })
		.from(invitations)
		.innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
		.where(eq(invitations.boardId, boardId))
		.orderBy(asc(invitations.createdAt))
		.all()
		.map(({ row, invitedBy }) => boardInvitationView(row, invitedBy))
}

/** The invitations waiting for this account, newest first. A guest has none. */
export function invitationsFor(db: Db, user: UserRow): MyInvitation[] {
	if (user.guestLinkId !== null) return []
	return db
		.select({
			row: invitations,
			board: { id: boards.id, name: boards.name },
			invitedBy: { id: inviter.id, name: inviter.name },
		})
		.from(invitations)
		.innerJoin(boards, eq(boards.id, invitations.boardId))
		.innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
		.where(eq(invitations.email, user.email))
		.orderBy(desc(invitations.createdAt))
		.all()
		.map(({ row, board, invitedBy }) => ({
			id: row.id,
			board,
			role: row.role,
			invitedBy,
			createdAt: toIso(row.createdAt)!,
		}))
}
