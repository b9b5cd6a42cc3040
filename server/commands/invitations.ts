import { and, eq } from 'drizzle-orm'
import type { Role } from '../../shared/api'
import type { AppContext, BoardRow, UserRow } from '../context'
import type { Db } from '../db/client'
import { boards, invitations, members, users } from '../db/schema'
import { NotFound } from '../errors'
import { newId } from '../ids'
import { recordAudit } from './audit'
import { boardMemberSet } from './boards'

// Adding someone to a board invites them: the board reaches them when they accept. An invitation
// is addressed to an email, whether or not an account has it, so the owner's answer is the same
// either way and says nothing about who has an account (#12 items 2, 16).

type SeatRole = Exclude<Role, 'owner'>
export type InvitationRow = typeof invitations.$inferSelect

export type MemberAddOutcome =
	| { kind: 'member'; user: UserRow; role: SeatRole }
	| { kind: 'invitation'; invitation: InvitationRow }

/**
 * `POST …/members`. A current member's role changes at once (the owner sees the members and their
 * emails already). Anyone else is invited, unless the instance adds directly
 * (`ARBOR_MEMBER_ADD=direct`, one team) and an account has the email: then they are a member now.
 */
export function memberAdd(
	ctx: AppContext,
	board: BoardRow,
	input: { email: string; role: SeatRole },
	actorId: string,
): MemberAddOutcome {
	const { db } = ctx
	const found = db.select().from(users).where(eq(users.email, input.email)).get()
	const account = found && found.guestLinkId === null ? found : undefined
	const member =
		account &&
		db
			.select()
			.from(members)
			.where(and(eq(members.boardId, board.id), eq(members.userId, account.id)))
			.get()
	if (account && (member || ctx.config.ARBOR_MEMBER_ADD === 'direct'))
		return { kind: 'member', ...boardMemberSet(db, board, input, actorId) }
	return { kind: 'invitation', invitation: invite(db, board, input, actorId) }
}

/** Creates the invitation, or updates the role of the one pending for that email. Audited. */
function invite(
	db: Db,
	board: BoardRow,
	input: { email: string; role: SeatRole },
	actorId: string,
): InvitationRow {
	return db.transaction((tx) => {
		const pending = tx
			.select()
			.from(invitations)
			.where(and(eq(invitations.boardId, board.id), eq(invitations.email, input.email)))
			.get()
		const row = tx
			.insert(invitations)
			.values({
				id: newId('invitation'),
				boardId: board.id,
				email: input.email,
				role: input.role,
				invitedBy: actorId,
			})
			.onConflictDoUpdate({
				target: [invitations.boardId, invitations.email],
				set: { role: input.role, invitedBy: actorId },
			})
			.returning()
			.get()
		if (pending?.role !== input.role)
			recordAudit(tx, {
				boardId: board.id,
				actorId,
				action: 'member.invited',
				target: row.id,
				detail: { email: row.email, role: row.role },
			})
		return row
	})
}

/** The invitation addressed to this account, or 404: nobody learns of anyone else's. */
function invitationFor(db: Db, user: UserRow, invitationId: string): InvitationRow {
	const row =
		user.guestLinkId === null
			? db
					.select()
					.from(invitations)
					.where(and(eq(invitations.id, invitationId), eq(invitations.email, user.email)))
					.get()
			: undefined
	if (!row) throw NotFound('The invitation')
	return row
}

/** The invitee accepts: they become a member in the invitation's role. Audited as their act. */
export function invitationAccept(ctx: AppContext, user: UserRow, invitationId: string) {
	const row = invitationFor(ctx.db, user, invitationId)
	return ctx.db.transaction((tx) => {
		const board = tx.select().from(boards).where(eq(boards.id, row.boardId)).get()!
		const current = tx
			.select()
			.from(members)
			.where(and(eq(members.boardId, row.boardId), eq(members.userId, user.id)))
			.get()
		// The owner of the board stays its owner, whatever an old invitation says.
		const role = current?.role === 'owner' ? 'owner' : row.role
		tx.insert(members)
			.values({ boardId: row.boardId, userId: user.id, role })
			.onConflictDoUpdate({ target: [members.boardId, members.userId], set: { role } })
			.run()
		tx.delete(invitations).where(eq(invitations.id, row.id)).run()
		recordAudit(tx, {
			boardId: row.boardId,
			actorId: user.id,
			action: 'member.added',
			target: user.id,
			detail: { name: user.name, email: user.email, role, via: 'invitation' },
		})
		return { board, role }
	})
}

/** The invitee declines: the invitation is gone, and the owner's log says so. */
export function invitationDecline(ctx: AppContext, user: UserRow, invitationId: string): void {
	const row = invitationFor(ctx.db, user, invitationId)
	ctx.db.transaction((tx) => {
		tx.delete(invitations).where(eq(invitations.id, row.id)).run()
		recordAudit(tx, {
			boardId: row.boardId,
			actorId: user.id,
			action: 'invitation.declined',
			target: row.id,
			detail: { email: row.email, role: row.role },
		})
	})
}

/** The owner withdraws a pending invitation. */
export function invitationRevoke(
	ctx: AppContext,
	board: BoardRow,
	invitationId: string,
	actorId: string,
): void {
	ctx.db.transaction((tx) => {
		const row = tx
			.select()
			.from(invitations)
			.where(and(eq(invitations.id, invitationId), eq(invitations.boardId, board.id)))
			.get()
		if (!row) throw NotFound('The invitation')
		tx.delete(invitations).where(eq(invitations.id, row.id)).run()
		recordAudit(tx, {
			boardId: board.id,
			actorId,
			action: 'invitation.revoked',
			target: row.id,
			detail: { email: row.email, role: row.role },
		})
	})
}
