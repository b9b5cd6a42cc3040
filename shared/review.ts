import { z } from 'zod'
import { PersonSchema } from './api'
import { CommentIdSchema, ImageIdSchema } from './ids'
import { UpscaleParamsSchema } from './ops/params'

// ---- decisions --------------------------------------------------------------------------------

/**
 * A candidate's review state. `committed` is set only by committing a pick (decision + upscale +
 * lock, one action); `none` clears a mark.
 */
export const DECISION_STATES = ['none', 'starred', 'approved', 'rejected', 'committed'] as const
export const DecisionStateSchema = z.enum(DECISION_STATES)
export type DecisionState = z.infer<typeof DecisionStateSchema>

/** What a person may set by hand. */
export const DecisionSetSchema = z
	.object({ state: DecisionStateSchema.exclude(['committed']) })
	.strict()

/** One decision record: who moved a candidate from `previous` to `state`, and when. */
export const DecisionSchema = z.object({
	id: z.number().int(),
	imageId: ImageIdSchema,
	state: DecisionStateSchema,
	previous: DecisionStateSchema,
	by: PersonSchema,
	at: z.string(),
})
export type Decision = z.infer<typeof DecisionSchema>

// ---- comments ---------------------------------------------------------------------------------

export const CommentCreateSchema = z
	.object({
		body: z.string().trim().min(1, 'the comment is empty').max(2000),
		/** Replies name the comment they answer; threads are one level deep. */
		parentId: CommentIdSchema.optional(),
	})
	.strict()

export const CommentResolveSchema = z.object({ resolved: z.boolean() }).strict()

export const CommentSchema = z.object({
	id: CommentIdSchema,
	imageId: ImageIdSchema,
	parentId: CommentIdSchema.nullable(),
	author: PersonSchema,
	body: z.string(),
	createdAt: z.string(),
	resolvedAt: z.string().nullable(),
})
export type Comment = z.infer<typeof CommentSchema>

// ---- commit -----------------------------------------------------------------------------------

/** Commit a pick: the decision, the upscale (commit op) and the lock, as one action. */
export const CommitPickSchema = z
	.object({ params: UpscaleParamsSchema.default({ mode: 'subtle', factor: 2 }) })
	.strict()

// ---- live badges ------------------------------------------------------------------------------

/** Per candidate, what the canvas badges show; published on the server's awareness state. */
export const ReviewMarksSchema = z.object({
	decisions: z.record(z.string(), DecisionStateSchema),
	/** Open (unresolved) comments per image. */
	comments: z.record(z.string(), z.number().int()),
})
export type ReviewMarks = z.infer<typeof ReviewMarksSchema>

// ---- summary ----------------------------------------------------------------------------------

export const ReviewSummarySchema = z.object({
	committed: z.array(DecisionSchema),
	approved: z.array(DecisionSchema),
	rejected: z.array(DecisionSchema),
	starred: z.array(DecisionSchema),
	openComments: z.array(CommentSchema),
})
export type ReviewSummary = z.infer<typeof ReviewSummarySchema>
