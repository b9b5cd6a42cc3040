import { and, eq } from 'drizzle-orm'
import type { Role } from '../../shared/api'
import { CLOSE_CODES } from '../../shared/collab'
import type { AppContext, BoardRow, UserRow } from '../context'
import type { Db } from '../db/client'
import { boards, members, users } from '../db/schema'
import { AppError, BadRequest } from '../errors'
import { newId } from '../ids'
import { recordAudit } from './audit'

/** "Service restart": y-websocket reconnects at once, and the upgrade reads the new role. */
const ROLE_CHANGED = 1012

export function boardCreate(db: Db, user: UserRow, name: string): BoardRow {
	return db.transaction((tx) => {
		const board = tx
			.insert(boards)
			.values({ id: newId('board'), name, createdBy: user.id })
			.returning()
			.get()
		tx.insert(members).values({ boardId: board.id, userId: user.id, role: 'owner' }).run()
		return board
	})
}

/**
 * Adds a member, or changes the role of an existing one. The owner's own role is fixed. Guests
 * (share-link users) cannot be made members: their access ends with their link. Audited.
 */
export function boardMemberSet(
	db: Db,
	board: BoardRow,
	input: { email: string; role: Exclude<Role, 'owner'> },
	actorId: string,
) {
	const user = db.select().from(users).where(eq(users.email, input.email)).get()
	if (!user || user.guestLinkId !== null)
		throw new AppError(
			'not_found',
			`No Arbor account for ${input.email}; ask them to sign up first.`,
		)
	return db.transaction((tx) => {
		const current = tx
			.select()
			.from(members)
			.where(and(eq(members.boardId, board.id), eq(members.userId, user.id)))
			.get()
		if (current?.role === 'owner') throw BadRequest('The board owner’s role cannot be changed.')
		tx.insert(members)
			.values({ boardId: board.id, userId: user.id, role: input.role })
			.onConflictDoUpdate({ target: [members.boardId, members.userId], set: { role: input.role } })
			.run()
		// Re-adding someone with the role they have changes nothing worth a record.
		if (current?.role !== input.role)
			recordAudit(tx, {
				boardId: board.id,
				actorId,
				action: current ? 'member.role_changed' : 'member.added',
				target: user.id,
				detail: {
					...who(user),
					role: input.role,
					...(current ? { previous: current.role } : {}),
				},
			})
		return { user, role: input.role }
	})
}

export function boardUpdate(
	db: Db,
	board: BoardRow,
	patch: { name?: string; budgetCap?: number | null },
) {
	return db.update(boards).set(patch).where(eq(boards.id, board.id)).returning().get()
}

const OWNER_FIXED = 'The board owner’s role cannot be changed or removed.'

/**
 * Who a member entry is about, as its audit detail records it. The log outlives the membership
 * (a removed member is in no member list to look the id up in), and the name is the one they had
 * then; the email tells two people of the same name apart. Only owners read the log.
 */
function who(user: Pick<UserRow, 'name' | 'email'>): { name: string; email: string } {
	return { name: user.name, email: user.email }
}

function memberOf(db: Pick<Db, 'select'>, boardId: string, userId: string) {
	const row = db
		.select({ member: members, user: { name: users.name, email: users.email } })
		.from(members)
		.innerJoin(users, eq(users.id, members.userId))
		.where(and(eq(members.boardId, boardId), eq(members.userId, userId)))
		.get()
	if (!row) throw new AppError('not_found', 'That person is not a member of this board.')
	if (row.member.role === 'owner') throw BadRequest(OWNER_FIXED)
	return { ...row.member, user: row.user }
}

/**
 * Changes a member's role. Their open sockets are closed so they reconnect under the new role:
 * the server decides read or write once per connection.
 */
export function boardMemberChangeRole(
	ctx: AppContext,
	board: BoardRow,
	userId: string,
	role: Exclude<Role, 'owner'>,
	actorId: string,
) {
	ctx.db.transaction((tx) => {
		const current = memberOf(tx, board.id, userId)
		tx.update(members)
			.set({ role })
			.where(and(eq(members.boardId, board.id), eq(members.userId, userId)))
			.run()
		if (current.role !== role)
			recordAudit(tx, {
				boardId: board.id,
				actorId,
				action: 'member.role_changed',
				target: userId,
				detail: { ...who(current.user), role, previous: current.role },
			})
	})
	ctx.sockets.closeConnections(
		board.id,
		(c) => c.userId === userId && c.role !== role,
		ROLE_CHANGED,
	)
	return { userId, role }
}

/** Removes a member; their open sockets on the board are closed at once, for good. */
export function boardMemberRemove(
	ctx: AppContext,
	board: BoardRow,
	userId: string,
	actorId: string,
): void {
	ctx.db.transaction((tx) => {
		const current = memberOf(tx, board.id, userId)
		tx.delete(members)
			.where(and(eq(members.boardId, board.id), eq(members.userId, userId)))
			.run()
		recordAudit(tx, {
			boardId: board.id,
			actorId,
			action: 'member.removed',
			target: userId,
			detail: { ...who(current.user), previous: current.role },
		})
	})
	ctx.sockets.closeConnections(board.id, (c) => c.userId === userId, CLOSE_CODES.forbidden)
}
