import { z } from 'zod'
import type { EngineRecord } from './engines'
import { BoardIdSchema, ImageIdSchema, JobIdSchema } from './ids'
import { GRID_SIZE, imagesPerRun, OPS, OpNameSchema } from './ops/catalogue'
import {
	PanParamsSchema,
	SeedSchema,
	UpscaleParamsSchema,
	VaryParamsSchema,
	ZoomOutParamsSchema,
} from './ops/params'
import { CustomWorkflowSchema } from './workflows'

/**
 * What each op needs in the payload's `params`, checked by the worker before it runs anything.
 * Loose: the server may store more (vary keeps the parent's `aspectRatio`), never less.
 */
const PAYLOAD_PARAMS: Partial<Record<z.infer<typeof OpNameSchema>, z.ZodType>> = {
	vary: z.looseObject(VaryParamsSchema.shape),
	zoom_out: z.looseObject(ZoomOutParamsSchema.shape),
	pan: z.looseObject(PanParamsSchema.shape),
	upscale: z.looseObject(UpscaleParamsSchema.shape),
}

/**
 * What a worker receives for one job: everything the generator needs, nothing it must look up in
 * the database. Parent pixels are fetched by id through the worker's JobIO.
 *
 * Per op (the server fills these; `width`/`height` always come from `outputDimensions`):
 * - imagine, reroll: `prompt`, `negativePrompt`, `params` {aspectRatio, chaos, stylize};
 *   reroll copies its source job's and gets new `seeds`. No parent.
 * - vary: `parentImageId`, `params.strength`; `prompt` is the parent's (for provenance).
 * - remix: `parentImageId`, `prompt` = the edited prompt, `sourcePrompt` = the parent's prompt
 *   (null for an upload), `negativePrompt`.
 * - zoom_out (`params.factor`), pan (`params.direction`): `parentImageId`, the parent's prompt.
 * - upscale: `parentImageId`, `params` {mode, factor}, exactly one seed (creative detail).
 */
export const JobPayloadSchema = z
	.object({
		jobId: JobIdSchema,
		boardId: BoardIdSchema,
		op: OpNameSchema,
		opVersion: z.number().int(),
		prompt: z.string(),
		negativePrompt: z.string().nullable(),
		params: z.record(z.string(), z.unknown()),
		/** One seed per output image: GRID_SIZE (or fewer) for a grid op, exactly 1 for upscale. */
		seeds: z.array(SeedSchema).min(1).max(GRID_SIZE),
		width: z.number().int().positive(),
		height: z.number().int().positive(),
		parentImageId: ImageIdSchema.nullable(),
		/** Remix only: the prompt the parent was made from, if it had one. */
		sourcePrompt: z.string().nullable().optional(),
		/** The model the job asked for (an engine model id); null or absent: the engine's default. */
		model: z.string().min(1).max(300).nullable().optional(),
		/** The team's registered ComfyUI graph for this op, when an admin set one. */
		workflow: CustomWorkflowSchema.nullable().optional(),
	})
	.superRefine((job, ctx) => {
		const op = OPS[job.op]
		if (op.takesParentImage && !job.parentImageId)
			ctx.addIssue({
				code: 'custom',
				path: ['parentImageId'],
				message: `${job.op} needs a parent image`,
			})
		if (imagesPerRun(job.op) === 1 && job.seeds.length !== 1)
			ctx.addIssue({ code: 'custom', path: ['seeds'], message: `${job.op} takes exactly one seed` })
		const params = PAYLOAD_PARAMS[job.op]?.safeParse(job.params)
		if (params && !params.success)
			ctx.addIssue({ code: 'custom', path: ['params'], message: `invalid ${job.op} params` })
	})
export type JobPayload = z.infer<typeof JobPayloadSchema>

/** One generated candidate as an engine returns it. */
export interface GeneratedImage {
	index: number
	/** The seed Arbor asked for (the record has the one the engine used). */
	seed: number
	width: number
	height: number
	png: Uint8Array
	/**
	 * The engine's own account of this image: model (+ hash), sampler, steps, cfg, denoise, the
	 * seed it used. Stored with the image and written into its provenance.
	 */
	record: EngineRecord
}

/** Names what made an image; recorded in provenance. */
export interface BackendInfo {
	backend: string
	model: string
	version: string
}
