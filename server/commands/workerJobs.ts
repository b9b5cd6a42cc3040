import { and, eq, inArray, sql } from 'drizzle-orm'
import { isJobFinished } from '../../shared/api'
import type { JobCompleteBody, JobStartReply, WorkerIdentity } from '../../shared/internalApi'
import { pngSize } from '../assets/png'
import type { AppContext } from '../context'
import { jobs } from '../db/schema'
import { Conflict, NotFound, Unprocessable } from '../errors'
import { toJobPayload } from '../jobs/lifecycle'
import { getImage, getJobById, type JobRow } from '../queries/views'
import { jobChanged, jobComplete, jobFail } from './jobs'

// What queue-mode workers may do to a job, called by the internal API. A worker is trusted to
// run jobs, not to write records: every report is checked against the job's own record.

function requireJob(ctx: AppContext, jobId: string): JobRow {
	const job = getJobById(ctx.db, jobId)
	if (!job) throw NotFound('The job')
	return job
}

/**
 * A worker takes a job: the record says running (one more attempt) and the worker gets the
 * payload. A job that is no longer wanted (cancelled, or finished by an earlier delivery) is a
 * 409: the worker drops it.
 */
export function workerJobStart(ctx: AppContext, jobId: string): JobStartReply {
	requireJob(ctx, jobId)
	const started = ctx.db
		.update(jobs)
		.set({
			status: 'running',
			attempts: sql`${jobs.attempts} + 1`,
			startedAt: Date.now(),
			error: null,
		})
		.where(and(eq(jobs.id, jobId), inArray(jobs.status, ['queued', 'running'])))
		.returning()
		.get()
	if (!started) throw Conflict('This job is no longer wanted: it finished or was cancelled.')
	jobChanged(ctx, jobId)
	return { payload: toJobPayload(ctx.db, started), attempt: started.attempts }
}

/** An input image of the job: any image of the job's own board (its parent, for most ops). */
export async function workerJobImage(ctx: AppContext, jobId: string, imageId: string) {
	const job = requireJob(ctx, jobId)
	const image = getImage(ctx.db, job.boardId, imageId)
	if (!image) throw NotFound('The image')
	return ctx.assets.read(image.sha256, 'full')
}

/** Live progress; the reply tells the worker whether to stop (cancelled or finished meanwhile). */
export function workerJobProgress(ctx: AppContext, jobId: string, fraction: number) {
	const job = requireJob(ctx, jobId)
	if (job.status === 'running') ctx.progress.progress(jobId, fraction)
	return { cancelled: isJobFinished(job.status) }
}

/** A live preview frame from the worker's engine; kept only while the job runs. */
export function workerJobPreview(ctx: AppContext, jobId: string, bytes: Uint8Array) {
	const job = requireJob(ctx, jobId)
	if (job.status === 'running') ctx.previews.put(jobId, bytes)
	return { cancelled: isJobFinished(job.status) }
}

/** Stores one output PNG after checking it is a complete PNG of the size the job asked for. */
export async function workerJobUpload(ctx: AppContext, jobId: string, png: Uint8Array) {
	const job = requireJob(ctx, jobId)
	if (isJobFinished(job.status)) throw Conflict(`This job is already ${job.status}.`)
	const size = pngSize(png)
	if (!size) throw Unprocessable('The upload is not a complete PNG.')
	if (size.width !== job.width || size.height !== job.height)
		throw Unprocessable(
			`The PNG is ${size.width}×${size.height}; this job makes ${job.width}×${job.height}.`,
		)
	try {
		return { sha256: await ctx.assets.putPng(png) }
	} catch (err) {
		// The header looked right but the pixels do not decode.
		throw Unprocessable(`The PNG could not be decoded: ${err instanceof Error ? err.message : err}`)
	}
}

/**
 * Records the uploaded outputs as the job's images, with the worker in their provenance.
 * Idempotent: a second delivery of the same job records nothing (`recorded: false`).
 */
export async function workerJobComplete(
	ctx: AppContext,
	jobId: string,
	body: JobCompleteBody,
	worker: WorkerIdentity,
) {
	const job = requireJob(ctx, jobId)
	const indexes = new Set(body.outputs.map((o) => o.index))
	if (body.outputs.length !== job.seeds.length || indexes.size !== job.seeds.length)
		throw Unprocessable(`This job makes ${job.seeds.length} images, one per index.`)
	for (const output of body.outputs) {
		if (output.index >= job.seeds.length)
			throw Unprocessable(`Output index ${output.index} is out of range.`)
		if (!(await ctx.assets.has(output.sha256)))
			throw Unprocessable(`Output ${output.index} was not uploaded (${output.sha256}).`)
	}
	const outputs = body.outputs.map((o) => ({ ...o, width: job.width, height: job.height }))
	// jobComplete writes the finished node itself, as it does for the embedded transport.
	const recorded = await jobComplete(ctx, jobId, outputs, body.backend, worker)
	return { recorded }
}

/** An attempt failed. Final: the job fails (and its credits are refunded). Else: it waits to retry. */
export function workerJobFail(ctx: AppContext, jobId: string, reason: string, final: boolean) {
	requireJob(ctx, jobId)
	if (final) return jobFail(ctx, jobId, reason)
	ctx.db
		.update(jobs)
		.set({ status: 'queued', error: reason.slice(0, 500) })
		.where(and(eq(jobs.id, jobId), eq(jobs.status, 'running')))
		.run()
	jobChanged(ctx, jobId)
}

/** A worker shutting down gave the job back untouched: back in line, the attempt not counted. */
export function workerJobHandBack(ctx: AppContext, jobId: string) {
	requireJob(ctx, jobId)
	ctx.db
		.update(jobs)
		.set({ status: 'queued', attempts: sql`max(${jobs.attempts} - 1, 0)` })
		.where(and(eq(jobs.id, jobId), eq(jobs.status, 'running')))
		.run()
	jobChanged(ctx, jobId)
}
