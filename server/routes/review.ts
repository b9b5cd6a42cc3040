import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { canEdit } from '../../shared/api'
import { CommentIdSchema, ImageIdSchema } from '../../shared/ids'
import {
	CommentCreateSchema,
	CommentResolveSchema,
	CommitPickSchema,
	DecisionSetSchema,
} from '../../shared/review'
import { commitPick } from '../commands/commitPick'
import { commentCreate, commentResolve, decisionSet, requireBoardImage } from '../commands/review'
import type { AppEnv } from '../context'
import { Forbidden, NotFound } from '../errors'
import { boardAccess, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { reviewArchive, zipHeaders } from '../queries/archives'
import { clientReviewImageIds, isPublished } from '../queries/clientView'
import {
	commentsOf,
	currentDecisions,
	decisionHistory,
	reviewMarksOf,
	reviewSummaryOf,
} from '../queries/review'
import { jobView } from '../queries/views'

// Review of a board's candidates: decisions, comments, commit-a-pick, summary and export. Mounted
// at `/boards/:boardId`. Reads are for viewers and up, writes for editors and up. A client (client
// link) reads the review of the published picks only — never of their lineage ancestors, whose
// discussion is the team's — and may mark or comment on a published image when the owner allows
// client comments; everything else is refused to it.

const ImageParamSchema = z.object({ imageId: ImageIdSchema })
const CommentParamSchema = z.object({ commentId: CommentIdSchema })

type ReviewContext = Context<AppEnv>

/** Images whose review a client may read (the published picks); undefined for everyone else. */
function visibleTo(c: ReviewContext): ReadonlySet<string> | undefined {
	return c.var.role === 'client' ? clientReviewImageIds(c.var.ctx.db, c.var.board.id) : undefined
}

/**
 * The image, checked to be on the board and, for a client, published (else 404, as for a missing
 * image: a client learns nothing of the team's discussion on an ancestor, not even that it exists).
 */
function readableImage(c: ReviewContext, imageId: string) {
	const visible = visibleTo(c)
	if (visible && !visible.has(imageId)) throw NotFound('The image')
	return requireBoardImage(c.var.ctx, c.var.board.id, imageId)
}

/**
 * Editors and owners may mark and comment; a client only on a published image, and only when the
 * owner lets clients comment. Viewers may not.
 */
function requireReviewWrite(c: ReviewContext, imageId: string): void {
	const { role, board, ctx } = c.var
	if (canEdit(role)) return
	if (role === 'client') {
		if (!board.clientAllowComments)
			throw Forbidden('The owner of this board has not opened it to client comments.')
		if (!isPublished(ctx.db, board.id, imageId))
			throw Forbidden('Clients can mark and comment on published images only.')
		return
	}
	throw Forbidden(`This needs the editor role on this board; you are a ${role}.`)
}

export const review = new Hono<AppEnv>()
	.get('/review', requireUser, boardAccess('client'), (c) => {
		const { db } = c.var.ctx
		const boardId = c.var.board.id
		const imageIds = visibleTo(c)
		const marks = reviewMarksOf(db, boardId)
		if (imageIds) {
			const keep = <T>(record: Record<string, T>) =>
				Object.fromEntries(Object.entries(record).filter(([id]) => imageIds.has(id)))
			marks.decisions = keep(marks.decisions)
			marks.comments = keep(marks.comments)
		}
		return c.json({
			marks,
			decisions: currentDecisions(db, boardId, { imageIds }),
			comments: commentsOf(db, boardId, { imageIds }),
		})
	})
	.get('/review/summary', requireUser, boardAccess('viewer'), (c) =>
		c.json(reviewSummaryOf(c.var.ctx.db, c.var.board.id)),
	)
	.get('/review.zip', requireUser, boardAccess('viewer'), (c) => {
		const { ctx, board } = c.var
		return c.body(reviewArchive(ctx, board.id), 200, zipHeaders(board.id, 'review'))
	})
	.put(
		'/images/:imageId/decision',
		requireUser,
		boardAccess('client'),
		validate('param', ImageParamSchema),
		validate('json', DecisionSetSchema),
		(c) => {
			const { imageId } = c.req.valid('param')
			requireReviewWrite(c, imageId)
			const { board, user } = c.var
			const { state } = c.req.valid('json')
			return c.json({ decision: decisionSet(c.var.ctx, { board, user, imageId, state }) })
		},
	)
	.get(
		'/images/:imageId/decisions',
		requireUser,
		boardAccess('viewer'),
		validate('param', ImageParamSchema),
		(c) => {
			const image = readableImage(c, c.req.valid('param').imageId)
			return c.json({ decisions: decisionHistory(c.var.ctx.db, c.var.board.id, image.id) })
		},
	)
	.get(
		'/images/:imageId/comments',
		requireUser,
		boardAccess('client'),
		validate('param', ImageParamSchema),
		(c) => {
			const image = readableImage(c, c.req.valid('param').imageId)
			return c.json({
				comments: commentsOf(c.var.ctx.db, c.var.board.id, { imageId: image.id }),
			})
		},
	)
	.post(
		'/images/:imageId/comments',
		requireUser,
		boardAccess('client'),
		validate('param', ImageParamSchema),
		validate('json', CommentCreateSchema),
		(c) => {
			const { imageId } = c.req.valid('param')
			requireReviewWrite(c, imageId)
			const { board, user } = c.var
			const { body, parentId } = c.req.valid('json')
			const comment = commentCreate(c.var.ctx, { board, user, imageId, body, parentId })
			return c.json({ comment }, 201)
		},
	)
	.patch(
		'/comments/:commentId',
		requireUser,
		boardAccess('editor'),
		validate('param', CommentParamSchema),
		validate('json', CommentResolveSchema),
		(c) => {
			const { board, user } = c.var
			const { commentId } = c.req.valid('param')
			const { resolved } = c.req.valid('json')
			return c.json({ comment: commentResolve(c.var.ctx, { board, user, commentId, resolved }) })
		},
	)
	.post(
		'/images/:imageId/commit',
		requireUser,
		boardAccess('editor'),
		validate('param', ImageParamSchema),
		validate('json', CommitPickSchema),
		(c) => {
			const { board, user } = c.var
			const { imageId } = c.req.valid('param')
			const { params } = c.req.valid('json')
			const { job, decision } = commitPick(c.var.ctx, { board, user, imageId, params })
			return c.json({ job: jobView(c.var.ctx.db, job), decision }, 202)
		},
	)
