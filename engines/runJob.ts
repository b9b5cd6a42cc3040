import { EngineRecordSchema } from '../shared/engines'
import { type GeneratedImage, type JobPayload, JobPayloadSchema } from '../shared/jobPayload'
import { OPS } from '../shared/ops/catalogue'
import { EngineUnavailableError, UnrecoverableJobError } from './errors'
import { toGenerateRequest } from './request'
import type { Engine, PreviewImage } from './types'

/** How a job reaches its inputs: the asset store in embedded mode, the server's API in queue mode. */
export interface JobIO {
	getImagePng(imageId: string): Promise<Uint8Array>
}

export interface RunJobOptions {
	engine: Engine
	io: JobIO
	/** The job's own signal: cancel, shutdown. */
	signal: AbortSignal
	onProgress: (fraction: number) => void
	onPreview?: (image: PreviewImage) => void
	/**
	 * Longest the engine may take (`ARBOR_ENGINE_TIMEOUT_MS`); past it the engine's call is aborted
	 * (the engine cancels its own work) and the job fails with a retryable timeout. The slot is
	 * freed at the deadline even if the engine never returns.
	 */
	timeoutMs?: number
}

/**
 * Runs the engine until it answers or `signal` aborts, whichever comes first: an engine that
 * ignores its signal (a hung socket) cannot hold the job's slot past a cancel or the deadline.
 */
async function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) throw signal.reason
	let onAbort = () => {}
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => {
			// The race is settled by the abort; whatever the abandoned call throws later is the
			// abort's echo (or a hung socket finally closing) and goes nowhere on purpose.
			work.catch(() => undefined)
			reject(signal.reason)
		}
		signal.addEventListener('abort', onAbort, { once: true })
	})
	try {
		return await Promise.race([work, aborted])
	} finally {
		signal.removeEventListener('abort', onAbort)
	}
}

/**
 * The one function that runs a job, whichever transport delivered it: validate the payload (per
 * op: parent, seeds, params), load the parent when the op takes one, build the typed request,
 * run the engine under the deadline, check the outputs (one image per seed, each exactly the
 * payload's size, each with the engine's record). Storing results is the caller's business.
 */
export async function runJob(payload: unknown, options: RunJobOptions): Promise<GeneratedImage[]> {
	const parsed = JobPayloadSchema.safeParse(payload)
	if (!parsed.success)
		throw new UnrecoverableJobError(`Invalid job payload: ${parsed.error.message}`)
	const job: JobPayload = parsed.data
	const { engine } = options

	const parentPng =
		OPS[job.op].takesParentImage && job.parentImageId
			? await options.io.getImagePng(job.parentImageId)
			: null
	options.signal.throwIfAborted()
	const request = await toGenerateRequest({ ...job, parentPng })

	const deadline = new AbortController()
	const timer =
		options.timeoutMs && options.timeoutMs > 0
			? setTimeout(
					() =>
						deadline.abort(
							new EngineUnavailableError(
								'timeout',
								`${engine.info.backend} did not finish within ${Math.round(options.timeoutMs! / 1000)} s.`,
							),
						),
					options.timeoutMs,
				)
			: null
	const signal = AbortSignal.any([options.signal, deadline.signal])
	// A late report from an engine we gave up on must not move a finished job's bar.
	const onProgress = (f: number) => signal.aborted || options.onProgress(f)
	const onPreview = options.onPreview
		? (image: PreviewImage) => signal.aborted || options.onPreview?.(image)
		: undefined
	let images: GeneratedImage[]
	try {
		images = await raceAbort(engine.generate(request, { signal, onProgress, onPreview }), signal)
	} finally {
		if (timer) clearTimeout(timer)
	}
	if (images.length !== job.seeds.length)
		throw new Error(`Engine returned ${images.length} images for ${job.seeds.length} seeds.`)
	return images.map((image) => {
		if (image.width !== job.width || image.height !== job.height)
			throw new Error(
				`Engine returned ${image.width}×${image.height}, asked for ${job.width}×${job.height}.`,
			)
		return { ...image, record: EngineRecordSchema.parse(image.record) }
	})
}
