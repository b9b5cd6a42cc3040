import { and, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm'
import type { Config } from '../config'
import type { UserRow } from '../context'
import type { Db } from '../db/client'
import { creditLedger, jobs, shareLinks, users } from '../db/schema'
import { AppError } from '../errors'
import { payerOf } from './credits'

type Tx = Pick<Db, 'select' | 'insert' | 'update'>

/**
 * What the job limits count for one person and for whoever pays their jobs (`payerOf`; the same
 * person unless they are a guest): unfinished jobs, and job starts since `since` — a retry is a
 * start (each start is a reservation in the ledger). A payer's counts include the jobs of every
 * guest of their links, so joining again under a fresh identity gains nothing.
 */
export function jobCountsOf(tx: Tx, options: { user: UserRow; payer: UserRow; since: number }) {
	const { user, payer, since } = options
	const startsAs = (column: typeof creditLedger.actorId | typeof creditLedger.userId, id: string) =>
		tx
			.select({ n: sql<number>`count(*)` })
			.from(creditLedger)
			.where(
				and(
					eq(column, id),
					eq(creditLedger.kind, 'reservation'),
					gt(creditLedger.createdAt, since),
				),
			)
			.get()?.n ?? 0
	const unfinished = (createdBy: SQL) =>
		tx
			.select({ n: sql<number>`count(*)` })
			.from(jobs)
			.where(and(inArray(jobs.status, ['queued', 'running']), createdBy))
			.get()?.n ?? 0
	const person = {
		pending: unfinished(eq(jobs.createdBy, user.id)),
		recent: startsAs(creditLedger.actorId, user.id),
	}
	if (payer.id === user.id) return { person, payer: person }
	const payerGuests = tx
		.select({ id: users.id })
		.from(users)
		.innerJoin(shareLinks, eq(shareLinks.id, users.guestLinkId))
		.where(eq(shareLinks.createdBy, payer.id))
	return {
		person,
		payer: {
			pending: unfinished(or(eq(jobs.createdBy, payer.id), inArray(jobs.createdBy, payerGuests))!),
			recent: startsAs(creditLedger.userId, payer.id),
		},
	}
}

/**
 * Refuses a job start past the limits (ARBOR_RATE_LIMIT_PER_MINUTE starts per window, and the
 * unfinished-jobs cap), counted on the person and on their payer. Call before reserving.
 */
export function assertJobLimits(
	tx: Tx,
	config: Pick<
		Config,
		| 'ARBOR_RATE_LIMIT_PER_MINUTE'
		| 'ARBOR_RATE_LIMIT_WINDOW_MS'
		| 'ARBOR_MAX_RUNNING_PER_USER'
		| 'ARBOR_MAX_QUEUED_PER_USER'
	>,
	options: { user: UserRow; boardId: string },
) {
	const payer = payerOf(tx, options.user, options.boardId)
	const counts = jobCountsOf(tx, {
		user: options.user,
		payer,
		since: Date.now() - config.ARBOR_RATE_LIMIT_WINDOW_MS,
	})
	const whose = (who: 'person' | 'payer') =>
		who === 'person' ? 'You have' : `${payer.name}, who pays for your jobs, has`
	for (const who of ['person', 'payer'] as const)
		if (counts[who].recent >= config.ARBOR_RATE_LIMIT_PER_MINUTE)
			throw new AppError(
				'rate_limited',
				`${whose(who)} started ${config.ARBOR_RATE_LIMIT_PER_MINUTE} jobs this minute (the limit); wait a moment and try again.`,
			)
	const pendingCap = config.ARBOR_MAX_RUNNING_PER_USER + config.ARBOR_MAX_QUEUED_PER_USER
	for (const who of ['person', 'payer'] as const)
		if (counts[who].pending >= pendingCap)
			throw new AppError(
				'too_many_jobs',
				`${whose(who)} ${counts[who].pending} jobs waiting or running (the limit is ${pendingCap}); let some finish first.`,
			)
}
