import { and, eq, isNull, or } from 'drizzle-orm'
import type { Comment, Decision, DecisionState } from '../../shared/review'
import type { AppContext, BoardRow, UserRow } from '../context'
import { comments, decisions } from '../db/schema'
import { NotFound } from '../errors'
import { newId } from '../ids'
import {
	commentById,
	decisionById,
	getCommentRow,
	latestDecisionRow,
	reviewMarksOf,
} from '../queries/review'
import { getImage, type ImageRow } from '../queries/views'
import { recordAudit } from './audit'

// Review writes: decisions (append-only rows, each naming the state it replaced) and comments.
// Every change republishes the board's review marks on the server's awareness state, so badges on
// every open canvas follow at once.

/** The image, if it is on this board; an image of another board is reported as missing. */
export function requireBoardImage(ctx: AppContext, boardId: string, imageId: string): ImageRow {
	const image = getImage(ctx.db, boardId, imageId)
	if (!image) throw NotFound('The image')
	return image
}

/** Sends the board's current marks (from the database) to every open canvas of it. */
export function publishReviewMarks(ctx: AppContext, boardId: string): void {
	try {
		ctx.boards.setReviewMarks(boardId, reviewMarksOf(ctx.db, boardId))
		// Clients see the marks of their visible images on the projection's awareness.
		ctx.projections.refresh(boardId)
	} catch (err) {
		// The records are written; badges catch up with the next change or when the doc reloads.
		ctx.logger.error({ err, boardId }, 'could not publish review marks')
	}
}

/**
 * Moves an image to `state`, recording the state it replaced and an audit entry in one
 * transaction. Setting the state it already has is a no-op that returns the current decision
 * (for an image never marked, a `none` decision with id 0: there is no row to show).
 */
export function decisionSet(
	ctx: AppContext,
	options: {
		board: BoardRow
		user: UserRow
		imageId: string
		state: Exclude<DecisionState, 'committed'>
	},
): Decision {
	const { board, user, state } = options
	const image = requireBoardImage(ctx, board.id, options.imageId)
	const id = ctx.db.transaction((tx) => {
		const current = latestDecisionRow(tx, image.id)
		const previous = current?.state ?? 'none'
		if (previous === state) return current?.id ?? null
		const row = tx
			.insert(decisions)
			.values({ boardId: board.id, imageId: image.id, state, previous, actorId: user.id })
			.returning({ id: decisions.id })
			.get()
		recordAudit(tx, {
			boardId: board.id,
			actorId: user.id,
			action: 'decision.set',
			target: image.id,
			detail: { state, previous },
		})
		return row.id
	})
	if (id === null)
		return {
			id: 0,
			imageId: image.id,
			state: 'none',
			previous: 'none',
			by: { id: user.id, name: user.name },
			at: new Date().toISOString(),
		}
	publishReviewMarks(ctx, board.id)
	return decisionById(ctx.db, id)!
}

/**
 * Adds a comment to an image. A reply names the comment it answers, which must be on the same
 * image; threads are one level deep, so a reply to a reply joins the thread of its root. A reply
 * to a resolved thread reopens it: someone still has something to say.
 */
export function commentCreate(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; imageId: string; body: string; parentId?: string },
): Comment {
	const { board, user } = options
	const image = requireBoardImage(ctx, board.id, options.imageId)
	const id = newId('comment')
	ctx.db.transaction((tx) => {
		let parentId: string | null = null
		if (options.parentId) {
			const parent = getCommentRow(tx, board.id, options.parentId)
			if (!parent || parent.imageId !== image.id) throw NotFound('The comment replied to')
			parentId = parent.parentId ?? parent.id
			tx.update(comments)
				.set({ resolvedAt: null, resolvedBy: null })
				.where(eq(comments.id, parentId))
				.run()
		}
		tx.insert(comments)
			.values({
				id,
				boardId: board.id,
				imageId: image.id,
				parentId,
				authorId: user.id,
				body: options.body,
			})
			.run()
	})
	publishReviewMarks(ctx, board.id)
	return commentById(ctx.db, id)!
}

/**
 * Resolves or reopens a comment. On a thread's root it applies to the whole thread (the
 * discussion is settled, or not); on a reply, to that reply only.
 */
export function commentResolve(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; commentId: string; resolved: boolean },
): Comment {
	const { board, user, resolved } = options
	const comment = getCommentRow(ctx.db, board.id, options.commentId)
	if (!comment) throw NotFound('The comment')
	const set = resolved
		? { resolvedAt: Date.now(), resolvedBy: user.id }
		: { resolvedAt: null, resolvedBy: null }
	// Resolving again keeps the first resolution's time and author.
	const pending = resolved ? isNull(comments.resolvedAt) : undefined
	const thread =
		comment.parentId === null
			? or(eq(comments.id, comment.id), eq(comments.parentId, comment.id))
			: eq(comments.id, comment.id)
	ctx.db
		.update(comments)
		.set(set)
		.where(and(eq(comments.boardId, board.id), thread, pending))
		.run()
	publishReviewMarks(ctx, board.id)
	return commentById(ctx.db, comment.id)!
}
