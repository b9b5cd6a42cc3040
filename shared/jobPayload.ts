import { z } from 'zod'
import { BoardIdSchema, ImageIdSchema, JobIdSchema } from './ids'
import { GRID_SIZE } from './ops/catalogue'
import { SeedSchema } from './ops/params'

/**
 * What a worker receives for one job: everything the generator needs, nothing it must look up in
 * the database. Parent pixels are fetched by id through the worker's JobIO.
 */
export const JobPayloadSchema = z.object({
	jobId: JobIdSchema,
	boardId: BoardIdSchema,
	op: z.enum(['imagine', 'vary']),
	opVersion: z.number().int(),
	prompt: z.string(),
	negativePrompt: z.string().nullable(),
	params: z.record(z.string(), z.unknown()),
	/** One seed per candidate. */
	seeds: z.array(SeedSchema).min(1).max(GRID_SIZE),
	width: z.number().int().positive(),
	height: z.number().int().positive(),
	parentImageId: ImageIdSchema.nullable(),
})
export type JobPayload = z.infer<typeof JobPayloadSchema>

/** One generated candidate as a backend returns it. */
export interface GeneratedImage {
	index: number
	seed: number
	width: number
	height: number
	png: Uint8Array
}

/** Names what made an image; recorded in provenance. */
export interface BackendInfo {
	backend: string
	model: string
	version: string
}
