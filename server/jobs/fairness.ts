import { type SQL, sql } from 'drizzle-orm'
import { OPS, type OpDefinition } from '../../shared/ops/catalogue'
import type { Db } from '../db/client'

// Fair scheduling, the same rule for both transports.
//
// Two lanes: commit ops (`loop: 'commit'` in the op catalogue — upscale…) always go before
// exploration, so a pick an art director committed never waits behind anyone's flood of drafts.
// Within a lane, jobs go by the asker's *rank*: how many of that user's jobs in the lane are
// ahead of this one (running, or queued earlier). Everyone's first job goes before anyone's
// second, everyone's second before anyone's third: a round-robin between users, so one user's
// hundred queued variations delay another user's single job by at most one job per user.
//
// The embedded queue recomputes ranks at every claim, breaking ties in favour of whoever was
// served least recently — a true round-robin. BullMQ cannot reorder
// on its own, so the rank is frozen into the job's priority when it is added: commit lane
// 1…999 999, explore lane 1 000 000 + rank (BullMQ takes 0–2 097 151, lower first; equal
// priorities run first-in first-out). A frozen rank can be stale — a user whose early jobs
// finished keeps later ones at their old rank — which only errs in favour of newcomers.

export type Lane = 'commit' | 'explore'

const catalogue: Record<string, OpDefinition> = OPS

export function laneOf(op: string): Lane {
	return catalogue[op]?.loop === 'commit' ? 'commit' : 'explore'
}

/** Ops of the commit lane, from the catalogue. */
export const COMMIT_OPS = Object.values(catalogue)
	.filter((op) => op.loop === 'commit')
	.map((op) => op.name)

const LANE_BAND = 1_000_000

/** A BullMQ priority for a job of `lane` whose asker has `rank` jobs ahead of it in that lane. */
export function bullmqPriority(lane: Lane, rank: number): number {
	const r = Math.max(0, Math.min(Math.floor(rank), LANE_BAND - 2))
	return lane === 'commit' ? 1 + r : LANE_BAND + r
}

/** 0 for the commit lane, 1 for exploration, as SQL over `jobs.op`. */
function laneSql(column: SQL): SQL {
	if (COMMIT_OPS.length === 0) return sql`1`
	return sql`CASE WHEN ${column} IN (${sql.join(
		COMMIT_OPS.map((op) => sql`${op}`),
		sql`, `,
	)}) THEN 0 ELSE 1 END`
}

/** The user's rank for this job: their unfinished jobs in the same lane asked for before it. */
export function fairRank(
	db: Pick<Db, 'get'>,
	job: { id: string; op: string; createdBy: string; createdAt: number },
): number {
	const row = db.get<{ n: number }>(sql`
		SELECT count(*) AS n FROM jobs
		WHERE created_by = ${job.createdBy}
			AND status IN ('queued', 'running')
			AND ${laneSql(sql`op`)} = ${laneOf(job.op) === 'commit' ? 0 : 1}
			AND (created_at < ${job.createdAt} OR (created_at = ${job.createdAt} AND id < ${job.id}))`)
	return row?.n ?? 0
}

export interface PendingJob {
	id: string
	boardId: string
	op: string
	status: 'queued' | 'running'
	createdBy: string
	createdAt: number
	/** Earliest start (retry backoff). */
	runAfter: number
}

/**
 * Queued jobs in the order they should start: ready before still backing off, commit lane before
 * exploration, then by the asker's rank (their running jobs in the lane + their queued ones
 * ahead), then whoever was served least recently (so equal ranks alternate between users), then
 * age. `lastServed(user, lane)` is when that user's last job in the lane started.
 */
export function fairOrder(
	pending: PendingJob[],
	options: { now: number; lastServed?: (user: string, lane: Lane) => number | undefined },
): (PendingJob & { ready: boolean })[] {
	const key = (job: PendingJob) => `${job.createdBy}\u0000${laneOf(job.op)}`
	const running = new Map<string, number>()
	for (const job of pending)
		if (job.status === 'running') running.set(key(job), (running.get(key(job)) ?? 0) + 1)
	const ahead = new Map<string, number>()
	const queued = pending
		.filter((job) => job.status === 'queued')
		.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
		.map((job) => {
			const k = key(job)
			const rank = (running.get(k) ?? 0) + (ahead.get(k) ?? 0)
			ahead.set(k, (ahead.get(k) ?? 0) + 1)
			const lane = laneOf(job.op)
			return {
				job: { ...job, ready: job.runAfter <= options.now },
				lane: lane === 'commit' ? 0 : 1,
				rank,
				served: options.lastServed?.(job.createdBy, lane) ?? Number.NEGATIVE_INFINITY,
			}
		})
	queued.sort(
		(a, b) =>
			Number(b.job.ready) - Number(a.job.ready) ||
			a.lane - b.lane ||
			a.rank - b.rank ||
			a.served - b.served ||
			a.job.createdAt - b.job.createdAt ||
			(a.job.id < b.job.id ? -1 : 1),
	)
	return queued.map((q) => q.job)
}
