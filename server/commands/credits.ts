import { and, desc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm'
import type { UserRow } from '../context'
import type { Db } from '../db/client'
import { creditLedger, shareLinks, users } from '../db/schema'
import { AppError, BadRequest } from '../errors'
import { linkState } from '../queries/access'

/** A drizzle handle or a transaction on it: ledger writes happen inside the caller's transaction. */
type Tx = Pick<Db, 'select' | 'insert' | 'update'>

type LedgerKind = (typeof creditLedger.$inferInsert)['kind']

/** Credits are counted to the cent; sums of floats are rounded back to it. */
export const cents = (n: number) => Math.round(n * 100) / 100

/** `2026-11`: the period a monthly allowance belongs to (UTC). */
export function periodOf(ms: number): string {
	return new Date(ms).toISOString().slice(0, 7)
}

/**
 * A user's balance: the running sum their latest ledger entry recorded (one index read instead
 * of summing the whole history on every write; tests check it equals the sum).
 */
export function balanceOf(tx: Tx, userId: string): number {
	const last = tx
		.select({ balance: creditLedger.balanceAfter })
		.from(creditLedger)
		.where(eq(creditLedger.userId, userId))
		.orderBy(desc(creditLedger.id))
		.limit(1)
		.get()
	return last?.balance ?? 0
}

function append(
	tx: Tx,
	entry: {
		userId: string
		kind: LedgerKind
		amount: number
		boardId?: string | null
		jobId?: string | null
		period?: string | null
		actorId?: string | null
		note?: string | null
	},
) {
	const balanceAfter = cents(balanceOf(tx, entry.userId) + entry.amount)
	return tx
		.insert(creditLedger)
		.values({ ...entry, amount: cents(entry.amount), balanceAfter })
		.returning()
		.get()
}

/**
 * What admins took away (negative adjustments) since the user's last monthly top-up: the next
 * top-up stops that much short of the allowance, or topping up would hand the credits straight
 * back. Taken once: the top-up after that one is whole again.
 */
function deductedSinceTopUp(tx: Tx, userId: string): number {
	const lastTopUp = tx
		.select({ id: creditLedger.id })
		.from(creditLedger)
		.where(and(eq(creditLedger.userId, userId), isNotNull(creditLedger.period)))
		.orderBy(desc(creditLedger.id))
		.limit(1)
		.get()
	const row = tx
		.select({ sum: sql<number>`coalesce(sum(${creditLedger.amount}), 0)` })
		.from(creditLedger)
		.where(
			and(
				eq(creditLedger.userId, userId),
				eq(creditLedger.kind, 'adjustment'),
				gt(creditLedger.id, lastTopUp?.id ?? 0),
			),
		)
		.get()
	return cents(-(row?.sum ?? 0))
}

/**
 * Tops the user's balance up to their monthly allowance, once per month, on first use. Unused
 * allowance does not pile up month after month; credits an admin granted above it are kept, and
 * credits an admin took away since the last top-up stay away (`deductedSinceTopUp`).
 */
export function grantMonthlyAllowance(
	tx: Tx,
	user: UserRow,
	defaultAllowance: number,
	now = Date.now(),
) {
	// Guests spend their link creator's credits (payerOf); an allowance of their own would be a
	// fresh 1,000 credits for anyone holding an editor link.
	if (user.guestLinkId !== null) return
	const period = periodOf(now)
	const granted = tx
		.select({ id: creditLedger.id })
		.from(creditLedger)
		.where(and(eq(creditLedger.userId, user.id), eq(creditLedger.period, period)))
		.get()
	if (granted) return
	const allowance = user.monthlyAllowance ?? defaultAllowance
	const target = allowance - deductedSinceTopUp(tx, user.id)
	const amount = Math.max(0, cents(target - balanceOf(tx, user.id)))
	append(tx, {
		userId: user.id,
		kind: 'grant',
		amount,
		period,
		note: `Monthly allowance for ${period} (${allowance} credits)`,
	})
}

export function InsufficientCredits(needed: number, left: number) {
	return new AppError(
		'insufficient_credits',
		`This costs ${needed} credits and you have ${left} left this month. Ask an admin for more credits.`,
	)
}

export function BoardBudgetExceeded(needed: number, left: number) {
	return new AppError(
		'board_budget_exceeded',
		`This costs ${needed} credits and this board's budget has ${left} left. Ask the board owner to raise it.`,
	)
}

/** Credits spent on a board so far (reservations net of refunds), by everyone. */
export function boardSpent(tx: Tx, boardId: string): number {
	const row = tx
		.select({ sum: sql<number>`coalesce(sum(${creditLedger.amount}), 0)` })
		.from(creditLedger)
		.where(
			and(
				eq(creditLedger.boardId, boardId),
				inArray(creditLedger.kind, ['reservation', 'settlement', 'refund']),
			),
		)
		.get()
	return cents(-(row?.sum ?? 0))
}

/**
 * Who pays for a user's jobs on a board: the user, or — for a guest, who has no credits — the
 * person who created the share link they joined through. Only an editor link's guests spend, and
 * only on that link's board while it is live: a creator's credits are never reachable elsewhere.
 */
export function payerOf(tx: Tx, user: UserRow, boardId: string): UserRow {
	if (user.guestLinkId === null) return user
	const row = tx
		.select({ creator: users, link: shareLinks })
		.from(shareLinks)
		.innerJoin(users, eq(users.id, shareLinks.createdBy))
		.where(eq(shareLinks.id, user.guestLinkId))
		.get()
	if (!row) throw new AppError('forbidden', 'The share link you joined through no longer exists.')
	const { link } = row
	if (link.boardId !== boardId || link.role !== 'editor' || linkState(link) !== 'active')
		throw new AppError('forbidden', 'Your share link does not let you start jobs here.')
	return row.creator
}

/**
 * Reserves a job's price, in the caller's transaction (the one that records the job), from the
 * payer's balance (`payerOf`: a guest's jobs are charged to their link's creator). Refuses with
 * 402 when that balance or the board's cap cannot cover it. The entry's actor stays the user.
 */
export function creditsReserve(
	tx: Tx,
	options: {
		user: UserRow
		board: { id: string; budgetCap: number | null }
		jobId: string
		amount: number
		defaultAllowance: number
	},
) {
	const { user, board, amount } = options
	const payer = payerOf(tx, user, board.id)
	grantMonthlyAllowance(tx, payer, options.defaultAllowance)
	const balance = balanceOf(tx, payer.id)
	if (balance < amount) throw InsufficientCredits(amount, balance)
	if (board.budgetCap != null) {
		const left = cents(board.budgetCap - boardSpent(tx, board.id))
		if (left < amount) throw BoardBudgetExceeded(amount, Math.max(0, left))
	}
	append(tx, {
		userId: payer.id,
		kind: 'reservation',
		amount: -amount,
		boardId: board.id,
		jobId: options.jobId,
		actorId: user.id,
	})
}

/**
 * What a job's latest reservation still holds. A retried job is reserved again, so only entries
 * after its last reservation count.
 */
function heldFor(tx: Tx, jobId: string) {
	const rows = tx
		.select()
		.from(creditLedger)
		.where(eq(creditLedger.jobId, jobId))
		.orderBy(creditLedger.id)
		.all()
	const last = rows.findLastIndex((r) => r.kind === 'reservation')
	if (last < 0) return { reservation: undefined, settled: false, held: 0 }
	const after = rows.slice(last + 1)
	const settled = after.some((r) => r.kind === 'settlement' || r.kind === 'refund')
	const held = -(rows[last].amount + after.reduce((sum, r) => sum + r.amount, 0))
	return { reservation: rows[last], settled, held: cents(held) }
}

/**
 * Returns `fraction` (0–1) of what a job still holds, exactly once: a second refund or a refund
 * after settlement is a no-op. Returns the amount refunded.
 */
export function creditsRefund(tx: Tx, jobId: string, fraction: number, note: string): number {
	const { reservation, settled, held } = heldFor(tx, jobId)
	if (!reservation || settled || held <= 0) return 0
	const amount = cents(held * Math.min(1, Math.max(0, fraction)))
	append(tx, {
		userId: reservation.userId,
		kind: 'refund',
		amount,
		boardId: reservation.boardId,
		jobId,
		note,
	})
	return amount
}

/** Marks a job's reservation as spent (a zero entry: the price was fixed when it was reserved). */
export function creditsSettle(tx: Tx, jobId: string): void {
	const { reservation, settled } = heldFor(tx, jobId)
	if (!reservation || settled) return
	append(tx, {
		userId: reservation.userId,
		kind: 'settlement',
		amount: 0,
		boardId: reservation.boardId,
		jobId,
	})
}

/** An admin's grant (positive) or correction (negative) of a user's credits. */
export function creditsAdjust(
	db: Db,
	options: { userId: string; amount: number; actorId: string; note: string },
) {
	// The schema refuses these too; this guards every other caller.
	if (cents(options.amount) === 0)
		throw BadRequest('The amount rounds to 0 credits: credits are counted to the cent.')
	return db.transaction((tx) => {
		const kind = options.amount >= 0 ? 'grant' : 'adjustment'
		return append(tx, { ...options, kind })
	})
}

export function isFirstUser(tx: Tx): boolean {
	return !tx.select({ id: users.id }).from(users).limit(1).get()
}
