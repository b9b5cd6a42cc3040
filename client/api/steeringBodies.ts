import { z } from 'zod'
import { ImageSchema, JobSchema } from '../../shared/api'

// Response bodies of the steering endpoints (quote, lineage, finals, uploads), parsed at the edge
// like every other answer, until the server exports schemas for them.

/** `POST …/jobs/quote`: what a request would cost and make, and the asker's balance now. */
export const QuoteSchema = z.object({
	price: z.number(),
	width: z.number().int(),
	height: z.number().int(),
	balance: z.number(),
})
export type Quote = z.infer<typeof QuoteSchema>

/** One step of an image's ancestry (`GET …/images/:imageId/lineage`, root first). */
export const LineageStepSchema = z.object({
	/** Null for a rerolled grid: the step is the whole grid, not one of its images. */
	imageId: z.string().nullable(),
	jobId: z.string(),
	index: z.number().int().nullable(),
	op: z.string(),
	opVersion: z.number().int(),
	prompt: z.string(),
	negativePrompt: z.string().nullable().optional(),
	params: z.record(z.string(), z.unknown()),
	seed: z.number().nullable(),
	width: z.number().int(),
	height: z.number().int(),
	createdAt: z.string(),
})
export type LineageStep = z.infer<typeof LineageStepSchema>
export const LineageBodySchema = z.object({ lineage: z.array(LineageStepSchema) })

export const FinalSchema = z.object({ image: ImageSchema, lineage: z.array(LineageStepSchema) })
export type Final = z.infer<typeof FinalSchema>
export const FinalsBodySchema = z.object({ finals: z.array(FinalSchema) })

export const UploadBodySchema = z.object({ job: JobSchema, image: ImageSchema })
