import type { UpscaleParams } from '../../shared/ops/params'
import { jobShapeIds } from '../../shared/records'
import type { Decision } from '../../shared/review'
import type { AppContext, BoardRow, UserRow } from '../context'
import { decisions } from '../db/schema'
import { Conflict } from '../errors'
import type { JobQueue } from '../jobs/jobQueue'
import { decisionById, latestDecisionRow } from '../queries/review'
import { getJobById, type JobRow } from '../queries/views'
import { recordAudit } from './audit'
import { jobCreate } from './jobs'
import { publishReviewMarks, requireBoardImage } from './review'

/** A queue that holds `enqueue` calls until the transaction they belong to has committed. */
function deferredQueue(queue: JobQueue) {
	const held: string[] = []
	const deferred: JobQueue = {
		start: () => queue.start(),
		enqueue: (jobId) => void held.push(jobId),
		cancel: (jobId) => queue.cancel(jobId),
		pending: () => queue.pending(),
		stop: () => queue.stop(),
	}
	const flush = () => {
		for (const jobId of held.splice(0)) queue.enqueue(jobId)
	}
	return { queue: deferred, flush }
}

/**
 * Commits a pick, as one action: the upscale job (recorded, priced, charged and placed on the
 * canvas exactly as `POST /jobs {op: 'upscale'}` does — it is `jobCreate`), the decision
 * `committed` naming that job, and the audit entry `pick.committed`, in one SQLite transaction:
 * a refusal (credits, limits, policy) records none of them. The job is queued only once that
 * transaction has committed. When the upscale finishes, its final is committed and locked on the
 * canvas (`syncedJobNode`). A pick whose commit is still under way or done cannot be committed
 * again (409); one whose upscale failed or was cancelled can.
 */
export function commitPick(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; imageId: string; params: UpscaleParams },
): { job: JobRow; decision: Decision } {
	const { board, user, params } = options
	const image = requireBoardImage(ctx, board.id, options.imageId)
	const { queue, flush } = deferredQueue(ctx.queue)
	let job: JobRow | undefined
	let decisionId: number
	try {
		// jobCreate's own transaction nests inside this one as a savepoint (better-sqlite3).
		decisionId = ctx.db.transaction((tx) => {
			const current = latestDecisionRow(tx, image.id)
			if (current?.state === 'committed') {
				const commitJob = current.jobId ? getJobById(ctx.db, current.jobId) : undefined
				if (commitJob && commitJob.status !== 'failed' && commitJob.status !== 'cancelled')
					throw Conflict(`This pick is already committed; its upscale is ${commitJob.status}.`)
			}
			job = jobCreate(
				{ ...ctx, queue },
				{ board, user, input: { op: 'upscale', parentImageId: image.id, params } },
			)
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
			return row.id
		})
	} catch (err) {
		// The canvas is not part of the SQLite transaction: take back the placeholder of a job
		// that was rolled back with it.
		if (job) ctx.boards.deleteRecords(board.id, Object.values(jobShapeIds(job.id)))
		throw err
	}
	flush()
	publishReviewMarks(ctx, board.id)
	return { job: job!, decision: decisionById(ctx.db, decisionId)! }
}
