import type { UpscaleParams } from '../../shared/ops/params'
import type { Decision } from '../../shared/review'
import type { AppContext, BoardRow, UserRow } from '../context'
import { decisions } from '../db/schema'
import { Conflict } from '../errors'
import { decisionById, latestDecisionRow } from '../queries/review'
import { getJobById, type JobRow } from '../queries/views'
import { recordAudit } from './audit'
import { jobRecord, jobRecorded } from './jobs'
import { publishReviewMarks, requireBoardImage } from './review'

/**
 * Commits a pick, as one action: the upscale job (recorded, priced, charged and placed on the
 * canvas exactly as `POST /jobs {op: 'upscale'}` does — it is `jobRecord`), the decision
 * `committed` naming that job, and the audit entry `pick.committed`, in one SQLite transaction:
 * a refusal (credits, limits, policy) records none of them. The placeholder reaches the canvas
 * and the job the queue only once that transaction has committed. When the upscale finishes, its final is committed and locked on the
 * canvas (`syncedJobNode`). A pick whose commit is still under way or done cannot be committed
 * again (409); one whose upscale failed or was cancelled can.
 */
export function commitPick(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; imageId: string; params: UpscaleParams },
): { job: JobRow; decision: Decision } {
	const { board, user, params } = options
	const image = requireBoardImage(ctx, board.id, options.imageId)
	const { job, decisionId } = ctx.db.transaction((tx) => {
		const current = latestDecisionRow(tx, image.id)
		if (current?.state === 'committed') {
			const commitJob = current.jobId ? getJobById(ctx.db, current.jobId) : undefined
			if (commitJob && commitJob.status !== 'failed' && commitJob.status !== 'cancelled')
				throw Conflict(`This pick is already committed; its upscale is ${commitJob.status}.`)
		}
		const job = jobRecord(ctx, tx, {
			board,
			user,
			input: { op: 'upscale', parentImageId: image.id, params },
		})
		const row = tx
			.insert(decisions)
			.values({
				boardId: board.id,
				imageId: image.id,
				state: 'committed',
				previous: current?.state ?? 'none',
				actorId: user.id,
				jobId: job.id,
			})
			.returning({ id: decisions.id })
			.get()
		recordAudit(tx, {
			boardId: board.id,
			actorId: user.id,
			action: 'pick.committed',
			target: image.id,
			detail: { jobId: job.id, params, previous: current?.state ?? 'none', cost: job.cost },
		})
		return { job, decisionId: row.id }
	})
	// Only now, committed, does the placeholder reach the canvas and the job the queue.
	jobRecorded(ctx, job)
	publishReviewMarks(ctx, board.id)
	return { job, decision: decisionById(ctx.db, decisionId)! }
}
