import { z } from 'zod'
import { ImageSchema, JobSchema, LineageStepSchema } from '../../shared/api'

export { type LineageStep, LineageStepSchema } from '../../shared/api'

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

export const LineageBodySchema = z.object({ lineage: z.array(LineageStepSchema) })

export const FinalSchema = z.object({ image: ImageSchema, lineage: z.array(LineageStepSchema) })
export type Final = z.infer<typeof FinalSchema>
export const FinalsBodySchema = z.object({ finals: z.array(FinalSchema) })

export const UploadBodySchema = z.object({ job: JobSchema, image: ImageSchema })
