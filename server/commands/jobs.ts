import { and, eq, inArray } from 'drizzle-orm'
import { type AccessRole, canEdit, isJobFinished } from '../../shared/api'
import { type EngineRecord, isModelServed } from '../../shared/engines'
import type { WorkerIdentity } from '../../shared/internalApi'
import type { BackendInfo, GeneratedImage } from '../../shared/jobPayload'
import type { JobCreate } from '../../shared/ops/catalogue'
import { canvasWriteOwed } from '../canvas/canvasOutbox'
import { syncJobNode } from '../canvas/canvasWrites'
import type { AppContext, BoardRow, UserRow } from '../context'
import type { Db } from '../db/client'
import { boards, images, jobs } from '../db/schema'
import { AppError, Conflict, Forbidden, NotFound } from '../errors'
import { newId } from '../ids'
import { getJob, getJobById, type JobRow } from '../queries/views'
import { creditsRefund, creditsReserve, creditsSettle } from './credits'
import { engineGate, engineOutputSize } from './engineGate'
import { resolveJobRequest } from './jobInputs'
import { assertJobLimits } from './jobLimits'
import { POLICY_CHECK, policyCheck } from './policy'

/** The transaction a command is in. */
type Tx = Pick<Db, 'select' | 'insert' | 'update'>

/**
 * Records a job inside the caller's transaction: limits, the reservation of its price, the row,
 * and its placeholder owed to the canvas (`canvasWriteOwed`). The caller drains the canvas and
 * queues the job once its transaction has committed (`jobRecorded`).
 */
export function jobRecord(
	ctx: AppContext,
	tx: Tx,
	options: { board: BoardRow; user: UserRow; input: JobCreate },
): JobRow {
	const { board, user, input } = options
	const { inputs, parentImage, parentJob } = resolveJobRequest(ctx, board, input)
	// The model was resolved with the inputs (a pick, the parent's, the board's), and priced on it.
	const { model } = inputs
	const choice = { model: model ?? null, picked: !!input.model, parentEngine: parentImage?.backend }
	engineGate(ctx, { ...choice, op: inputs.op, params: inputs.params })
	// Embedded, the server's one engine is all there is: a model it lacks can never run. Queue mode
	// accepts it: a worker serving it may come online (the node says none does meanwhile).
	if (input.model && !ctx.config.REDIS_URL && !isModelServed(ctx.engines.list(), input.model))
		throw new AppError('unprocessable', `No engine here serves the model ${input.model}.`)
	if (input.op === 'imagine' && input.model && input.model !== board.defaultModel)
		tx.update(boards).set({ defaultModel: input.model }).where(eq(boards.id, board.id)).run()
	const size = engineOutputSize(ctx, {
		...choice,
		op: inputs.op,
		size: { width: inputs.width, height: inputs.height },
	})
	const row = {
		...inputs,
		...size,
		id: newId('job'),
		boardId: board.id,
		status: 'queued' as const,
		createdBy: user.id,
	}
	const { config } = ctx
	// Limits first, then money: a refused request writes nothing.
	assertJobLimits(tx, config, { user, boardId: board.id })
	creditsReserve(tx, {
		user,
		board,
		jobId: row.id,
		amount: row.cost ?? 0,
		defaultAllowance: config.ARBOR_MONTHLY_CREDITS,
	})
	const inserted = tx.insert(jobs).values(row).returning().get()
	canvasWriteOwed(tx, inserted, {
		kind: 'place',
		author: user.name,
		at: input.op === 'imagine' ? input.at : undefined,
		fromJob: parentJob !== undefined,
	})
	return inserted
}

/** After the transaction that recorded the job: its placeholder goes on the canvas, then it queues. */
export function jobRecorded(ctx: AppContext, job: JobRow): void {
	ctx.canvas.drain()
	ctx.queue.enqueue(job.id)
}

/**
 * Records a job and reserves its price in one SQLite transaction; once it has committed, puts its
 * placeholder on the canvas and queues it.
 */
export function jobCreate(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; input: JobCreate },
): JobRow {
	const job = ctx.db.transaction((tx) => jobRecord(ctx, tx, options))
	jobRecorded(ctx, job)
	return job
}

function requireJob(ctx: AppContext, boardId: string, jobId: string): JobRow {
	const job = getJob(ctx.db, boardId, jobId)
	if (!job) throw NotFound('The job')
	return job
}

/** Cancels a queued or running job. Its owner or a board owner may. */
export function jobCancel(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; role: AccessRole; jobId: string },
): JobRow {
	const job = requireJob(ctx, options.board.id, options.jobId)
	if (job.createdBy !== options.user.id && options.role !== 'owner')
		throw Forbidden('Only the person who asked for this job, or a board owner, can cancel it.')
	if (isJobFinished(job.status)) throw Conflict(`This job is already ${job.status}.`)
	// Queued: nothing was spent. Running: the user pays for the share of the work already done.
	const unspent = job.status === 'running' ? 1 - ctx.progress.fractionOf(job.id) : 1
	const cancelled = ctx.db.transaction((tx) => {
		const updated = tx
			.update(jobs)
			.set({ status: 'cancelled', finishedAt: Date.now() })
			.where(and(eq(jobs.id, job.id), inArray(jobs.status, ['queued', 'running'])))
			.returning()
			.get()
		if (updated) {
			creditsRefund(tx, job.id, unspent, 'Cancelled')
			canvasWriteOwed(tx, updated, { kind: 'sync' })
		}
		return updated
	})
	if (!cancelled) throw Conflict('This job finished before it could be cancelled.')
	ctx.queue.cancel(job.id)
	jobFinished(ctx, cancelled)
	return cancelled
}

/**
 * Queues a failed or cancelled job again, in place: same node, same inputs. Its prompt is checked
 * against today's policy first (a rule added since may block it), and that check replaces the old
 * one in the job's checks, so the provenance of what the retry makes names the policy it passed.
 */
export function jobRetry(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; role: AccessRole; jobId: string },
): JobRow {
	if (!canEdit(options.role)) throw Forbidden()
	const job = requireJob(ctx, options.board.id, options.jobId)
	if (job.status !== 'failed' && job.status !== 'cancelled')
		throw Conflict(`Only failed or cancelled jobs can be retried; this one is ${job.status}.`)
	const check = policyCheck(ctx.db, [job.prompt, job.negativePrompt])
	const checks = [...job.checks.filter((c) => c.name !== POLICY_CHECK), check]
	const queued = ctx.db.transaction((tx) => {
		// A retry is a start like any other: the same limits, before anything changes.
		assertJobLimits(tx, ctx.config, { user: options.user, boardId: options.board.id })
		const updated = tx
			.update(jobs)
			.set({ status: 'queued', attempts: 0, runAfter: 0, error: null, finishedAt: null, checks })
			.where(and(eq(jobs.id, job.id), eq(jobs.status, job.status)))
			.returning()
			.get()
		// A retry is a new run: it is paid for again (the failed run was refunded).
		if (updated) {
			creditsReserve(tx, {
				user: options.user,
				board: options.board,
				jobId: job.id,
				amount: job.cost,
				defaultAllowance: ctx.config.ARBOR_MONTHLY_CREDITS,
			})
			canvasWriteOwed(tx, updated, { kind: 'sync' })
		}
		return updated
	})
	if (!queued) throw Conflict('This job changed meanwhile; try again.')
	jobRecorded(ctx, queued)
	return queued
}

/** An output already in the asset store (queue mode: the worker uploaded it, the server checked it). */
export type StoredOutput = Omit<GeneratedImage, 'png' | 'record'> & {
	sha256: string
	record: EngineRecord
}

/**
 * Records a job's outputs. Idempotent: images are unique per (job, index), and a job that is no
 * longer running (cancelled meanwhile, or completed by an earlier delivery) is left as it is.
 */
export async function jobComplete(
	ctx: AppContext,
	jobId: string,
	outputs: (GeneratedImage | StoredOutput)[],
	info: BackendInfo,
	worker: WorkerIdentity | null = null,
): Promise<boolean> {
	const stored = await Promise.all(
		outputs.map(async (o) =>
			'png' in o
				? { output: o, sha256: await ctx.assets.putPng(o.png) }
				: { output: o, sha256: o.sha256 },
		),
	)
	const completed = ctx.db.transaction((tx) => {
		const job = tx.select().from(jobs).where(eq(jobs.id, jobId)).get()
		if (job?.status !== 'running') return undefined
		for (const { output, sha256 } of stored) {
			tx.insert(images)
				.values({
					id: newId('image'),
					boardId: job.boardId,
					jobId,
					index: output.index,
					seed: output.seed,
					width: output.width,
					height: output.height,
					sha256,
					...info,
					// The engine names the model per image (a checkpoint, the neural upscaler).
					model: output.record.model,
					engineRecord: output.record,
					worker,
				})
				.onConflictDoNothing()
				.run()
		}
		const done = tx
			.update(jobs)
			.set({ status: 'done', finishedAt: Date.now(), error: null })
			.where(eq(jobs.id, jobId))
			.returning()
			.get()
		creditsSettle(tx, jobId)
		canvasWriteOwed(tx, done, { kind: 'sync' })
		return done
	})
	if (!completed) return false
	jobFinished(ctx, completed)
	return true
}

/**
 * Records that a job will never succeed and refunds it; its node shows the failure. The one place
 * (with `jobComplete` and `jobCancel`) that writes a finished job to the canvas, whichever
 * transport ran it. A job already finished is left as it is.
 */
export function jobFail(ctx: AppContext, jobId: string, reason: string): void {
	const failed = ctx.db.transaction((tx) => {
		const row = tx
			.update(jobs)
			.set({ status: 'failed', error: reason.slice(0, 500), finishedAt: Date.now() })
			.where(and(eq(jobs.id, jobId), inArray(jobs.status, ['queued', 'running'])))
			.returning()
			.get()
		if (row) {
			creditsRefund(tx, jobId, 1, 'Job failed')
			canvasWriteOwed(tx, row, { kind: 'sync' })
		}
		return row
	})
	if (failed) jobFinished(ctx, failed)
}

/** After a job finished (done, failed, cancelled) and its transaction committed. */
function jobFinished(ctx: AppContext, job: JobRow): void {
	ctx.canvas.drain()
	ctx.progress.finished(job.id, job.op, job.status === 'done')
	ctx.previews.clear(job.id)
	ctx.progress.publish()
}

/**
 * A transport moved an unfinished job (started it, put it back in line): its node and the
 * board's live progress follow. Finished jobs were written by the command that finished them.
 */
export function jobChanged(ctx: AppContext, jobId: string): void {
	const job = getJobById(ctx.db, jobId)
	if (!job) return
	if (job.status === 'running') ctx.progress.started(jobId)
	ctx.progress.publish()
	if (isJobFinished(job.status)) return
	try {
		syncJobNode(ctx, job)
	} catch (err) {
		// The record is the truth; a node that could not be updated is repaired by the job's next
		// change or at the next start-up (CanvasOutbox.reconcile).
		ctx.logger.error({ err, jobId, boardId: job.boardId }, 'could not update the job node')
	}
}
