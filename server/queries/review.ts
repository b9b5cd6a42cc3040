import { and, asc, desc, eq, inArray, isNull, max } from 'drizzle-orm'
import type { Logger } from 'pino'
import type { Comment, Decision, ReviewMarks, ReviewSummary } from '../../shared/review'
import type { Db } from '../db/client'
import { comments, decisions, users } from '../db/schema'
import { toIso } from '../ids'

// Reads of review records: decisions (append-only; an image's current state is its latest row)
// and comments. Times become ISO strings here, at the edge.

export type DecisionRow = typeof decisions.$inferSelect
export type CommentRow = typeof comments.$inferSelect

/** A handle that can read: the db or the transaction a command is in. */
type Reader = Pick<Db, 'select'>

/** Restricts a read to these images (a client's visible set); undefined means every image. */
export interface ReviewReadOptions {
	imageIds?: ReadonlySet<string>
}

const decisionColumns = { decision: decisions, by: { id: users.id, name: users.name } }

function decisionView(row: { decision: DecisionRow; by: { id: string; name: string } }): Decision {
	const { decision, by } = row
	return {
		id: decision.id,
		imageId: decision.imageId,
		state: decision.state,
		previous: decision.previous,
		by,
		at: toIso(decision.createdAt)!,
	}
}

/** The latest decision row of an image, or undefined while it has none (state `none`). */
export function latestDecisionRow(db: Reader, imageId: string): DecisionRow | undefined {
	return db
		.select()
		.from(decisions)
		.where(eq(decisions.imageId, imageId))
		.orderBy(desc(decisions.id))
		.limit(1)
		.get()
}

/** One decision by its id, as the API shows it. */
export function decisionById(db: Reader, id: number): Decision | undefined {
	const row = db
		.select(decisionColumns)
		.from(decisions)
		.innerJoin(users, eq(users.id, decisions.actorId))
		.where(eq(decisions.id, id))
		.get()
	return row && decisionView(row)
}

/**
 * Each image's current decision, oldest image first. Images whose mark was cleared (`none`) are
 * left out: they carry no decision worth showing.
 */
export function currentDecisions(
	db: Reader,
	boardId: string,
	options: ReviewReadOptions = {},
): Decision[] {
	const latest = db
		.select({ id: max(decisions.id) })
		.from(decisions)
		.where(eq(decisions.boardId, boardId))
		.groupBy(decisions.imageId)
	return db
		.select(decisionColumns)
		.from(decisions)
		.innerJoin(users, eq(users.id, decisions.actorId))
		.where(inArray(decisions.id, latest))
		.orderBy(asc(decisions.id))
		.all()
		.map(decisionView)
		.filter((d) => d.state !== 'none' && (!options.imageIds || options.imageIds.has(d.imageId)))
}

/** Every decision of one image, or of the whole board, oldest first: the history as it happened. */
export function decisionHistory(db: Reader, boardId: string, imageId?: string): Decision[] {
	return db
		.select(decisionColumns)
		.from(decisions)
		.innerJoin(users, eq(users.id, decisions.actorId))
		.where(
			imageId
				? and(eq(decisions.boardId, boardId), eq(decisions.imageId, imageId))
				: eq(decisions.boardId, boardId),
		)
		.orderBy(asc(decisions.id))
		.all()
		.map(decisionView)
}

export function commentView(row: { comment: CommentRow; author: { id: string; name: string } }) {
	const { comment, author } = row
	return {
		id: comment.id,
		imageId: comment.imageId,
		parentId: comment.parentId,
		author,
		body: comment.body,
		createdAt: toIso(comment.createdAt)!,
		resolvedAt: toIso(comment.resolvedAt),
	} satisfies Comment
}

const commentColumns = { comment: comments, author: { id: users.id, name: users.name } }

/** Comments of the board, or of one image, in the order they were written (threads by parentId). */
export function commentsOf(
	db: Reader,
	boardId: string,
	options: ReviewReadOptions & { imageId?: string; openOnly?: boolean } = {},
): Comment[] {
	const where = [eq(comments.boardId, boardId)]
	if (options.imageId) where.push(eq(comments.imageId, options.imageId))
	if (options.openOnly) where.push(isNull(comments.resolvedAt))
	return db
		.select(commentColumns)
		.from(comments)
		.innerJoin(users, eq(users.id, comments.authorId))
		.where(and(...where))
		.orderBy(asc(comments.createdAt), asc(comments.id))
		.all()
		.map(commentView)
		.filter((c) => !options.imageIds || options.imageIds.has(c.imageId))
}

export function getCommentRow(db: Reader, boardId: string, commentId: string) {
	return db
		.select()
		.from(comments)
		.where(and(eq(comments.id, commentId), eq(comments.boardId, boardId)))
		.get()
}

export function commentById(db: Reader, commentId: string): Comment | undefined {
	const row = db
		.select(commentColumns)
		.from(comments)
		.innerJoin(users, eq(users.id, comments.authorId))
		.where(eq(comments.id, commentId))
		.get()
	return row && commentView(row)
}

/** What the canvas badges show: each image's current decision and its open comments. */
export function reviewMarksOf(db: Reader, boardId: string): ReviewMarks {
	const marks: ReviewMarks = { decisions: {}, comments: {} }
	for (const d of currentDecisions(db, boardId)) marks.decisions[d.imageId] = d.state
	const open = db
		.select({ imageId: comments.imageId })
		.from(comments)
		.where(and(eq(comments.boardId, boardId), isNull(comments.resolvedAt)))
		.all()
	for (const { imageId } of open) marks.comments[imageId] = (marks.comments[imageId] ?? 0) + 1
	return marks
}

/** Where a review stands: current decisions by state, and what is still open for discussion. */
export function reviewSummaryOf(db: Reader, boardId: string): ReviewSummary {
	const current = currentDecisions(db, boardId)
	const inState = (state: Decision['state']) => current.filter((d) => d.state === state)
	return {
		committed: inState('committed'),
		approved: inState('approved'),
		rejected: inState('rejected'),
		starred: inState('starred'),
		openComments: commentsOf(db, boardId, { openOnly: true }),
	}
}

/**
 * `loadReviewMarks` for BoardDocs: a board's marks from the database when its doc loads. A failed
 * read must not keep the board from opening: it is logged, and the board opens without badges
 * until the next review change publishes them.
 */
export function reviewMarksLoader(db: Db, logger: Logger) {
	return function loadReviewMarks(boardId: string): ReviewMarks {
		try {
			return reviewMarksOf(db, boardId)
		} catch (err) {
			logger.error({ err, boardId }, 'could not read review marks')
			return { decisions: {}, comments: {} }
		}
	}
}
