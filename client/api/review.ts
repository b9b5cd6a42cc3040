import { z } from 'zod'
import { JobSchema } from '../../shared/api'
import {
	CommentSchema,
	type CommitPickSchema,
	DecisionSchema,
	type DecisionState,
	ReviewMarksSchema,
	ReviewSummarySchema,
} from '../../shared/review'
import { request } from './client'

const ReviewBody = z.object({
	marks: ReviewMarksSchema,
	decisions: z.array(DecisionSchema),
	comments: z.array(CommentSchema),
})
const DecisionBody = z.object({ decision: DecisionSchema })
const DecisionsBody = z.object({ decisions: z.array(DecisionSchema) })
const CommentsBody = z.object({ comments: z.array(CommentSchema) })
const CommentBody = z.object({ comment: CommentSchema })
const CommitBody = z.object({ job: JobSchema, decision: DecisionSchema })
const board = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`
const image = (boardId: string, imageId: string) =>
	`${board(boardId)}/images/${encodeURIComponent(imageId)}`

/** A state a person may set by hand (`committed` comes only from committing a pick). */
export type SettableDecision = Exclude<DecisionState, 'committed'>

/**
 * Review sessions: decisions, comments, committing a pick and the summary. Every call rejects
 * with an ApiError.
 */
export const reviewApi = {
	/** Every current decision and comment of the board (a client sees only visible images). */
	getReview: (boardId: string, signal?: AbortSignal) =>
		request(`${board(boardId)}/review`, { schema: ReviewBody, signal }),
	setDecision: (boardId: string, imageId: string, state: SettableDecision) =>
		request(`${image(boardId, imageId)}/decision`, {
			method: 'PUT',
			body: { state },
			schema: DecisionBody,
		}).then((b) => b.decision),
	/** One image's decisions, oldest first as the server records them. */
	decisionHistory: (boardId: string, imageId: string, signal?: AbortSignal) =>
		request(`${image(boardId, imageId)}/decisions`, { schema: DecisionsBody, signal }).then(
			(b) => b.decisions,
		),
	listComments: (boardId: string, imageId: string, signal?: AbortSignal) =>
		request(`${image(boardId, imageId)}/comments`, { schema: CommentsBody, signal }).then(
			(b) => b.comments,
		),
	addComment: (boardId: string, imageId: string, body: { body: string; parentId?: string }) =>
		request(`${image(boardId, imageId)}/comments`, {
			method: 'POST',
			body,
			schema: CommentBody,
		}).then((b) => b.comment),
	resolveComment: (boardId: string, commentId: string, resolved: boolean) =>
		request(`${board(boardId)}/comments/${encodeURIComponent(commentId)}`, {
			method: 'PATCH',
			body: { resolved },
			schema: CommentBody,
		}).then((b) => b.comment),
	/** Decision `committed` + the upscale (charged) + the lock, as one action. */
	commitPick: (boardId: string, imageId: string, body: z.input<typeof CommitPickSchema> = {}) =>
		request(`${image(boardId, imageId)}/commit`, { method: 'POST', body, schema: CommitBody }),
	summary: (boardId: string, signal?: AbortSignal) =>
		request(`${board(boardId)}/review/summary`, { schema: ReviewSummarySchema, signal }),
}

/** Finals, lineage and decisions of the review, zipped. */
export function reviewZipUrl(boardId: string): string {
	return `${board(boardId)}/review.zip`
}
