import { hostname } from 'node:os'
import { eq } from 'drizzle-orm'
import { UnrecoverableJobError } from '../../engines/errors'
import { createPreviewRelay } from '../../engines/previews'
import { type JobIO, runJob } from '../../engines/runJob'
import type { Engine } from '../../engines/types'
import type { WorkerIdentity } from '../../shared/internalApi'
import type { JobPayload } from '../../shared/jobPayload'
import { jobChanged, jobComplete, jobFail } from '../commands/jobs'
import { workflowFor } from '../commands/workflows'
import type { AppContext } from '../context'
import type { Db } from '../db/client'
import { images } from '../db/schema'
import { getJobById, type JobRow } from '../queries/views'
import type { JobLifecycle } from './jobQueue'

/** The worker's view of a job: its recorded inputs, plus the source prompt a remix departs from. */
export function toJobPayload(db: Db, job: JobRow): JobPayload {
	const source = job.op === 'remix' && job.parentJobId ? getJobById(db, job.parentJobId) : undefined
	return {
		jobId: job.id,
		boardId: job.boardId,
		op: job.op as JobPayload['op'],
		opVersion: job.opVersion,
		prompt: job.prompt,
		negativePrompt: job.negativePrompt,
		params: job.params,
		seeds: job.seeds,
		width: job.width,
		height: job.height,
		parentImageId: job.parentImageId,
		sourcePrompt: source ? source.prompt : null,
		workflow: workflowFor(db, job.op),
		model: job.model ?? null,
	}
}

/** Inputs straight from the asset store: embedded mode shares the server's disk. */
export function localJobIO(ctx: AppContext): JobIO {
	return {
		async getImagePng(imageId) {
			const image = ctx.db.select().from(images).where(eq(images.id, imageId)).get()
			if (!image) throw new UnrecoverableJobError(`Parent image ${imageId} no longer exists.`)
			return ctx.assets.read(image.sha256, 'full')
		},
	}
}

/** In embedded mode the server is the worker; provenance says so. */
export const EMBEDDED_WORKER: WorkerIdentity = { id: 'embedded', host: hostname() }

/**
 * The embedded transport's view of the job commands: run in-process with a local engine. The
 * queue is part of the context its commands reach, so it gets the context through `context`,
 * called once jobs run.
 */
export function createLocalLifecycle(context: () => AppContext, engine: Engine): JobLifecycle {
	return {
		async process(jobId, { signal, onProgress }) {
			const ctx = context()
			const io = localJobIO(ctx)
			const job = getJobById(ctx.db, jobId)
			if (!job) throw new UnrecoverableJobError(`Job ${jobId} no longer exists.`)
			const previews = createPreviewRelay({
				send: async (bytes) => ctx.previews.put(jobId, bytes),
				onError: (err) => ctx.logger.debug({ jobId, err: String(err) }, 'preview dropped'),
			})
			try {
				const outputs = await runJob(toJobPayload(ctx.db, job), {
					engine,
					io,
					signal,
					onProgress,
					onPreview: previews.push,
					timeoutMs: ctx.config.ARBOR_ENGINE_TIMEOUT_MS,
				})
				await jobComplete(ctx, jobId, outputs, engine.info, EMBEDDED_WORKER)
			} finally {
				previews.close()
			}
		},
		fail: (jobId, reason) => jobFail(context(), jobId, reason),
		changed: (jobId) => jobChanged(context(), jobId),
		progress: (jobId, fraction) => context().progress.progress(jobId, fraction),
	}
}

/**
 * Queue mode: jobs run on workers, which report over the internal API; the server's transport
 * only hears of final failures it must record (retries spent, a job that kept killing workers).
 */
export function createRemoteLifecycle(context: () => AppContext): JobLifecycle {
	return {
		async process() {
			throw new Error('In queue mode jobs run on workers (npm run worker), not in the server.')
		},
		fail: (jobId, reason) => jobFail(context(), jobId, reason),
		changed: (jobId) => jobChanged(context(), jobId),
		progress: (jobId, fraction) => context().progress.progress(jobId, fraction),
	}
}
