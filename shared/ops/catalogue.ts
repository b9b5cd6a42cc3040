import { z } from 'zod'
import { PointSchema } from '../coordinates'
import { ImageIdSchema, JobIdSchema } from '../ids'
import {
	ImagineParamsSchema,
	PanParamsSchema,
	PromptSchema,
	RemixParamsSchema,
	UpscaleParamsSchema,
	VaryParamsSchema,
	ZoomOutParamsSchema,
} from './params'

export type OpLoop = 'explore' | 'commit'
export type OpYield = 'grid' | 'single'

/** What an op is, for the catalogue endpoint, the UI and the scheduler. */
export interface OpDefinition {
	name: string
	/** Bumped whenever the op's input or behaviour changes; recorded in provenance. */
	version: number
	label: string
	description: string
	loop: OpLoop
	yields: OpYield
	takesPrompt: boolean
	takesParentImage: boolean
	/** Reroll starts from a grid's job rather than from one image. */
	takesParentJob: boolean
	/**
	 * List price in credits: one run on a 512² parent with default params. The price of a real
	 * request scales with its output pixels: use `priceOf` (shared/ops/pricing.ts).
	 */
	cost: number
}

function defineOp<const T extends OpDefinition>(op: T): T {
	return op
}

const explore = { loop: 'explore', yields: 'grid', takesParentJob: false } as const

export const imagineOp = defineOp({
	...explore,
	name: 'imagine',
	version: 1,
	label: 'Imagine',
	description: 'A grid of four candidates from a prompt.',
	takesPrompt: true,
	takesParentImage: false,
	cost: 4,
})

export const rerollOp = defineOp({
	...explore,
	name: 'reroll',
	version: 1,
	label: 'Reroll',
	description: 'The same prompt and parameters again, with four new seeds.',
	takesPrompt: false,
	takesParentImage: false,
	takesParentJob: true,
	cost: 4,
})

export const varyOp = defineOp({
	...explore,
	name: 'vary',
	version: 1,
	label: 'Vary',
	description: 'Four variations near a candidate, subtle or strong.',
	takesPrompt: false,
	takesParentImage: true,
	cost: 4,
})

export const remixOp = defineOp({
	...explore,
	name: 'remix',
	version: 1,
	label: 'Remix',
	description: "Four takes on an edited prompt that keep the candidate's layout.",
	takesPrompt: true,
	takesParentImage: true,
	cost: 4,
})

export const zoomOutOp = defineOp({
	...explore,
	name: 'zoom_out',
	version: 1,
	label: 'Zoom out',
	description: 'Four wider views that contain the candidate, 1.5× or 2×.',
	takesPrompt: false,
	takesParentImage: true,
	cost: 4,
})

export const panOp = defineOp({
	...explore,
	name: 'pan',
	version: 1,
	label: 'Pan',
	description: 'Four extensions of the candidate to one side; the aspect ratio grows that way.',
	takesPrompt: false,
	takesParentImage: true,
	cost: 6,
})

export const upscaleOp = defineOp({
	name: 'upscale',
	version: 1,
	label: 'Upscale',
	description: 'One final image at 2× or 4×: subtle (neural upscaler) or creative (adds detail).',
	loop: 'commit',
	yields: 'single',
	takesPrompt: false,
	takesParentImage: true,
	takesParentJob: false,
	cost: 8,
})

export const OPS = {
	imagine: imagineOp,
	reroll: rerollOp,
	vary: varyOp,
	remix: remixOp,
	zoom_out: zoomOutOp,
	pan: panOp,
	upscale: upscaleOp,
} as const
export type OpName = keyof typeof OPS
export const OP_NAMES = Object.keys(OPS) as OpName[]
export const OpNameSchema = z.enum(OP_NAMES as [OpName, ...OpName[]])

/** Candidates a grid op yields. */
export const GRID_SIZE = 4

/** Images one run of an op yields: GRID_SIZE for a grid, 1 for a single (upscale). */
export function imagesPerRun(op: OpName): number {
	return OPS[op].yields === 'grid' ? GRID_SIZE : 1
}

/**
 * The model a job asks for (an engine model id, from `GET /api/models`). Absent: imagine uses the
 * board's default, a steering op keeps its parent's model.
 */
export const ModelIdSchema = z.string().trim().min(1).max(300)

export const ImagineRequestSchema = z
	.object({
		op: z.literal('imagine'),
		model: ModelIdSchema.optional(),
		prompt: PromptSchema,
		params: ImagineParamsSchema.default({ aspectRatio: '1:1', chaos: 0, stylize: 100 }),
		/** Where on the canvas (page coordinates) the prompt card goes: the asker's viewport centre. */
		at: PointSchema.strict().optional(),
	})
	.strict()

/** Same prompt and params as the parent job (a grid's job), with new seeds. */
export const RerollRequestSchema = z
	.object({ op: z.literal('reroll'), model: ModelIdSchema.optional(), parentJobId: JobIdSchema })
	.strict()

export const VaryRequestSchema = z
	.object({
		op: z.literal('vary'),
		model: ModelIdSchema.optional(),
		parentImageId: ImageIdSchema,
		params: VaryParamsSchema,
	})
	.strict()

/** `prompt` is the edited prompt (the UI prefills the parent's). */
export const RemixRequestSchema = z
	.object({
		op: z.literal('remix'),
		model: ModelIdSchema.optional(),
		parentImageId: ImageIdSchema,
		prompt: PromptSchema,
		params: RemixParamsSchema.default({}),
	})
	.strict()

export const ZoomOutRequestSchema = z
	.object({
		op: z.literal('zoom_out'),
		model: ModelIdSchema.optional(),
		parentImageId: ImageIdSchema,
		params: ZoomOutParamsSchema,
	})
	.strict()

export const PanRequestSchema = z
	.object({
		op: z.literal('pan'),
		model: ModelIdSchema.optional(),
		parentImageId: ImageIdSchema,
		params: PanParamsSchema,
	})
	.strict()

export const UpscaleRequestSchema = z
	.object({
		op: z.literal('upscale'),
		model: ModelIdSchema.optional(),
		parentImageId: ImageIdSchema,
		params: UpscaleParamsSchema,
	})
	.strict()

/** `POST /api/boards/:boardId/jobs` body. */
export const JobCreateSchema = z.discriminatedUnion(
	'op',
	[
		ImagineRequestSchema,
		RerollRequestSchema,
		VaryRequestSchema,
		RemixRequestSchema,
		ZoomOutRequestSchema,
		PanRequestSchema,
		UpscaleRequestSchema,
	],
	{ error: () => `op must be one of: ${OP_NAMES.join(', ')}` },
)
export type JobCreate = z.infer<typeof JobCreateSchema>
