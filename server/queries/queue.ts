import { eq, inArray } from 'drizzle-orm'
import { type AccessRole, canEdit } from '../../shared/api'
import type { BoardQueue } from '../../shared/queue'
import type { AppContext, BoardRow, UserRow } from '../context'
import { jobs, users } from '../db/schema'
import { toIso } from '../ids'

/**
 * A board's unfinished jobs for the queue panel: running first, then queued in the order they
 * will run, with who asked, live position/ETA/percent, and whether the caller may cancel (the
 * same rule `jobCancel` enforces: the asker or a board owner, with edit rights).
 */
export function boardQueueView(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; role: AccessRole },
): BoardQueue {
	const { board, user, role } = options
	const pending = ctx.queue.pending().filter((j) => j.boardId === board.id)
	if (pending.length === 0) return { jobs: [] }
	const rows = ctx.db
		.select({ job: jobs, asker: { id: users.id, name: users.name } })
		.from(jobs)
		.innerJoin(users, eq(users.id, jobs.createdBy))
		.where(
			inArray(
				jobs.id,
				pending.map((p) => p.jobId),
			),
		)
		.all()
	const byId = new Map(rows.map((r) => [r.job.id, r]))
	const live = ctx.progress.current(board.id)
	const entries: BoardQueue['jobs'] = []
	for (const p of pending) {
		const row = byId.get(p.jobId)
		if (!row) continue
		const progress = live.get(p.jobId)
		entries.push({
			jobId: p.jobId,
			op: row.job.op,
			prompt: row.job.prompt,
			status: p.status,
			createdBy: row.asker,
			createdAt: toIso(row.job.createdAt)!,
			position: p.status === 'queued' ? (progress?.position ?? null) : null,
			progress: p.status === 'running' ? (progress?.progress ?? 0) : 0,
			etaMs: progress?.etaMs ?? null,
			canCancel: canEdit(role) && (row.job.createdBy === user.id || role === 'owner'),
		})
	}
	return { jobs: entries }
}
