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
// The embedded queue recomputes ranks at every claim (one SQL statement). BullMQ cannot reorder
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

export interface FairQueued {
	id: string
	boardId: string
	/** Queued jobs still waiting out a retry backoff come last. */
	ready: boolean
}

/**
 * Queued jobs in the order they should start: ready before backing off, commit lane before
 * exploration, then by the asker's rank (their running jobs in the lane + their queued ones
 * ahead), then age. `limit` 1 is the embedded queue's claim.
 */
export function fairOrder(
	db: Pick<Db, 'all'>,
	options: { now: number; readyOnly?: boolean; limit?: number },
) {
	const { now, readyOnly = false, limit = -1 } = options
	return db
		.all<FairQueued>(sql`
		WITH pending AS (
			SELECT id, board_id, created_by, created_at, run_after, status, ${laneSql(sql`op`)} AS lane
			FROM jobs WHERE status IN ('queued', 'running')
		),
		running AS (
			SELECT created_by, lane, count(*) AS n FROM pending WHERE status = 'running'
			GROUP BY created_by, lane
		),
		ranked AS (
			SELECT q.id, q.board_id, q.created_at, q.lane, q.run_after <= ${now} AS ready,
				coalesce(r.n, 0)
					+ ROW_NUMBER() OVER (PARTITION BY q.created_by, q.lane ORDER BY q.created_at, q.id)
					AS rank
			FROM pending q LEFT JOIN running r ON r.created_by = q.created_by AND r.lane = q.lane
			WHERE q.status = 'queued'
		)
		SELECT id, board_id AS boardId, ready FROM ranked
		${readyOnly ? sql`WHERE ready` : sql``}
		ORDER BY ready DESC, lane, rank, created_at, id
		LIMIT ${limit}`)
		.map((row) => ({ ...row, ready: Boolean(row.ready) }))
}
