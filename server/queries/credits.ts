import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm'
import type { Credits, LedgerEntry, UsageRow } from '../../shared/api'
import { balanceOf, cents, grantMonthlyAllowance, periodOf } from '../commands/credits'
import type { UserRow } from '../context'
import type { Db } from '../db/client'
import { boards, creditLedger, jobs, users } from '../db/schema'
import { toIso } from '../ids'

const SPEND_KINDS = ['reservation', 'settlement', 'refund'] as const

function periodStart(period: string): number {
	return Date.parse(`${period}-01T00:00:00Z`)
}

/** A user's credits now. Grants this month's allowance first if it is due (the ledger is lazy). */
export function creditsOf(db: Db, user: UserRow, defaultAllowance: number): Credits {
	const period = periodOf(Date.now())
	db.transaction((tx) => grantMonthlyAllowance(tx, user, defaultAllowance))
	const spent = db
		.select({ sum: sql<number>`coalesce(sum(${creditLedger.amount}), 0)` })
		.from(creditLedger)
		.where(
			and(
				eq(creditLedger.userId, user.id),
				inArray(creditLedger.kind, [...SPEND_KINDS]),
				gte(creditLedger.createdAt, periodStart(period)),
			),
		)
		.get()
	const reserved = db
		.select({ sum: sql<number>`coalesce(sum(${creditLedger.amount}), 0)` })
		.from(creditLedger)
		.innerJoin(jobs, eq(jobs.id, creditLedger.jobId))
		.where(and(eq(creditLedger.userId, user.id), inArray(jobs.status, ['queued', 'running'])))
		.get()
	return {
		balance: balanceOf(db, user.id),
		// Guests have no allowance of their own: their jobs are charged to their link's creator.
		allowance: user.guestLinkId === null ? (user.monthlyAllowance ?? defaultAllowance) : 0,
		period,
		spent: cents(-(spent?.sum ?? 0)),
		reserved: cents(-(reserved?.sum ?? 0)),
	}
}

/** Spending grouped by a column, for usage panels (credits net of refunds, jobs counted once). */
function spendBy(
	db: Db,
	where: ReturnType<typeof and>,
	key: typeof creditLedger.userId | typeof jobs.op | typeof creditLedger.boardId,
	label: ReturnType<typeof sql<string>>,
): UsageRow[] {
	return db
		.select({
			key: sql<string>`${key}`,
			label,
			credits: sql<number>`-coalesce(sum(${creditLedger.amount}), 0)`,
			jobs: sql<number>`count(distinct ${creditLedger.jobId})`,
		})
		.from(creditLedger)
		.innerJoin(jobs, eq(jobs.id, creditLedger.jobId))
		.innerJoin(users, eq(users.id, creditLedger.userId))
		.leftJoin(boards, eq(boards.id, creditLedger.boardId))
		.where(and(inArray(creditLedger.kind, [...SPEND_KINDS]), where))
		.groupBy(key)
		.orderBy(sql`3 desc`)
		.all()
		.map((r) => ({ ...r, credits: cents(r.credits) }))
}

export function boardUsage(db: Db, boardId: string) {
	const onBoard = and(eq(creditLedger.boardId, boardId))
	return {
		byMember: spendBy(db, onBoard, creditLedger.userId, sql<string>`${users.name}`),
		byOp: spendBy(db, onBoard, jobs.op, sql<string>`${jobs.op}`),
	}
}

export function userUsage(db: Db, userId: string) {
	const period = periodOf(Date.now())
	const mine = and(
		eq(creditLedger.userId, userId),
		gte(creditLedger.createdAt, periodStart(period)),
	)
	const entries = db
		.select({ e: creditLedger, op: jobs.op, prompt: jobs.prompt })
		.from(creditLedger)
		.leftJoin(jobs, eq(jobs.id, creditLedger.jobId))
		.where(eq(creditLedger.userId, userId))
		.orderBy(desc(creditLedger.id))
		.limit(50)
		.all()
		.map(
			({ e, op, prompt }): LedgerEntry => ({
				id: e.id,
				kind: e.kind,
				amount: e.amount,
				balanceAfter: e.balanceAfter,
				boardId: e.boardId,
				jobId: e.jobId,
				op,
				prompt,
				note: e.note,
				createdAt: toIso(e.createdAt)!,
			}),
		)
	return {
		period,
		byBoard: spendBy(
			db,
			mine,
			creditLedger.boardId,
			sql<string>`coalesce(${boards.name}, 'deleted board')`,
		),
		byOp: spendBy(db, mine, jobs.op, sql<string>`${jobs.op}`),
		entries,
	}
}

/** Every user with their balance and this month's spending, for the admin page. */
export function adminUserList(db: Db, defaultAllowance: number) {
	return db
		.select()
		.from(users)
		.orderBy(users.createdAt)
		.all()
		.map((user) => ({
			id: user.id,
			email: user.email,
			name: user.name,
			isAdmin: user.isAdmin,
			// Joined through a share link: no account, no allowance of their own.
			isGuest: user.guestLinkId !== null,
			monthlyAllowance: user.monthlyAllowance,
			credits: creditsOf(db, user, defaultAllowance),
		}))
}
