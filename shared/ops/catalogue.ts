import { z } from 'zod'
import { ImageIdSchema } from '../ids'
import { ImagineParamsSchema, PromptSchema, VaryParamsSchema } from './params'

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
	/** Credits charged for one run. */
	cost: number
}

function defineOp<const T extends OpDefinition>(op: T): T {
	return op
}

export const imagineOp = defineOp({
	name: 'imagine',
	version: 1,
	label: 'Imagine',
	description: 'A grid of four candidates from a prompt.',
	loop: 'explore',
	yields: 'grid',
	takesPrompt: true,
	takesParentImage: false,
	cost: 4,
})

export const varyOp = defineOp({
	name: 'vary',
	version: 1,
	label: 'Vary',
	description: 'Four variations near a candidate, subtle or strong.',
	loop: 'explore',
	yields: 'grid',
	takesPrompt: false,
	takesParentImage: true,
	cost: 4,
})

export const OPS = { imagine: imagineOp, vary: varyOp } as const
export type OpName = keyof typeof OPS
export const OP_NAMES = Object.keys(OPS) as OpName[]

/** Candidates a grid op yields. */
export const GRID_SIZE = 4

export const ImagineRequestSchema = z
	.object({
		op: z.literal('imagine'),
		prompt: PromptSchema,
		params: ImagineParamsSchema.default({ aspectRatio: '1:1', chaos: 0, stylize: 100 }),
		/** Where on the canvas (page coordinates) the prompt card goes: the asker's viewport centre. */
		at: z.object({ x: z.number().finite(), y: z.number().finite() }).strict().optional(),
	})
	.strict()

export const VaryRequestSchema = z
	.object({
		op: z.literal('vary'),
		parentImageId: ImageIdSchema,
		params: VaryParamsSchema,
	})
	.strict()

/** `POST /api/boards/:boardId/jobs` body. */
export const JobCreateSchema = z.discriminatedUnion(
	'op',
	[ImagineRequestSchema, VaryRequestSchema],
	{ error: () => `op must be one of: ${OP_NAMES.join(', ')}` },
)
export type JobCreate = z.infer<typeof JobCreateSchema>
