import { type GeneratedImage, type JobPayload, JobPayloadSchema } from '../shared/jobPayload'
import { OPS } from '../shared/ops/catalogue'
import { UnrecoverableJobError } from './errors'
import type { GeneratorBackend } from './types'

/** How a job reaches its inputs: the asset store in embedded mode, the server's API in queue mode. */
export interface JobIO {
	getImagePng(imageId: string): Promise<Uint8Array>
}

export interface RunJobOptions {
	backend: GeneratorBackend
	io: JobIO
	signal: AbortSignal
	onProgress: (fraction: number) => void
}

/**
 * The one function that runs a job, whichever transport delivered it: validate the payload (per
 * op: parent, seeds, params), load the parent when the op takes one, generate, check the outputs
 * (one image per seed, each exactly the payload's size). Storing results is the caller's business.
 */
export async function runJob(payload: unknown, options: RunJobOptions): Promise<GeneratedImage[]> {
	const parsed = JobPayloadSchema.safeParse(payload)
	if (!parsed.success)
		throw new UnrecoverableJobError(`Invalid job payload: ${parsed.error.message}`)
	const job: JobPayload = parsed.data

	const parentPng =
		OPS[job.op].takesParentImage && job.parentImageId
			? await options.io.getImagePng(job.parentImageId)
			: null
	options.signal.throwIfAborted()
	const images = await options.backend.generate(
		{
			op: job.op,
			prompt: job.prompt,
			negativePrompt: job.negativePrompt,
			params: job.params,
			seeds: job.seeds,
			width: job.width,
			height: job.height,
			parentPng,
			sourcePrompt: job.sourcePrompt ?? null,
		},
		{ signal: options.signal, onProgress: options.onProgress },
	)
	if (images.length !== job.seeds.length)
		throw new Error(`Backend returned ${images.length} images for ${job.seeds.length} seeds.`)
	for (const image of images) {
		if (image.width !== job.width || image.height !== job.height)
			throw new Error(
				`Backend returned ${image.width}×${image.height}, asked for ${job.width}×${job.height}.`,
			)
	}
	return images
}
