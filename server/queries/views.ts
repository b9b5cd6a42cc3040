import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Board, BoardSummary, Image, Job, Member, User } from '../../shared/api'
import type { BoardRow, UserRow } from '../context'
import type { Db } from '../db/client'
import { preparedFor } from '../db/prepared'
import { boards, images, jobs, members, users } from '../db/schema'
import { toIso } from '../ids'

// Reads and the API's view of records. Handlers call these; they never query drizzle themselves.

export function userView(user: UserRow): User {
	return {
		id: user.id,
		email: user.email,
		name: user.name,
		color: user.color,
		isAdmin: user.isAdmin,
		isGuest: user.guestLinkId !== null,
	}
}

export function boardView(board: BoardRow): Board {
	return {
		id: board.id,
		name: board.name,
		budgetCap: board.budgetCap,
		defaultModel: board.defaultModel ?? null,
		createdBy: board.createdBy,
		createdAt: toIso(board.createdAt)!,
	}
}

/** The boards a person is a member of, newest first, with their owner and newest image. */
export function boardsForUser(db: Db, userId: string): BoardSummary[] {
	return db
		.select({
			board: boards,
			role: members.role,
			ownerName: users.name,
			// The card's thumbnail: the board's newest image (by time, then id for a tie).
			coverImageId: sql<
				string | null
			>`(select ${images.id} from ${images} where ${images.boardId} = ${boards.id} order by ${images.createdAt} desc, ${images.id} desc limit 1)`,
		})
		.from(members)
		.innerJoin(boards, eq(boards.id, members.boardId))
		.innerJoin(users, eq(users.id, boards.createdBy))
		.where(eq(members.userId, userId))
		.orderBy(desc(boards.createdAt))
		.all()
		.map(({ board, role, ownerName, coverImageId }) => ({
			...boardView(board),
			role,
			owner: { id: board.createdBy, name: ownerName },
			coverImageId,
		}))
}

// Read on every authorized request (and per image file): prepared once, see `preparedFor`.
const boardById = preparedFor((db) =>
	db
		.select()
		.from(boards)
		.where(eq(boards.id, sql.placeholder('boardId')))
		.prepare(),
)

export function getBoard(db: Db, boardId: string): BoardRow | undefined {
	return boardById(db).get({ boardId })
}

/**
 * A board's members, oldest first. `withEmails` for readers who may contact them (owners and
 * editors with an account); others get names only (`MemberUserSchema`).
 */
export function membersOf(db: Db, boardId: string, options: { withEmails: boolean }): Member[] {
	return db
		.select({ user: users, role: members.role })
		.from(members)
		.innerJoin(users, eq(users.id, members.userId))
		.where(eq(members.boardId, boardId))
		.orderBy(asc(members.createdAt))
		.all()
		.map(({ user, role }) => {
			const { email, isAdmin: _admin, ...rest } = userView(user)
			return { user: options.withEmails ? { ...rest, email } : rest, role }
		})
}

export type JobRow = typeof jobs.$inferSelect
export type ImageRow = typeof images.$inferSelect

export function getJob(db: Db, boardId: string, jobId: string): JobRow | undefined {
	return db
		.select()
		.from(jobs)
		.where(and(eq(jobs.id, jobId), eq(jobs.boardId, boardId)))
		.get()
}

// Read per lineage step: prepared once, see `preparedFor`.
const jobById = preparedFor((db) =>
	db
		.select()
		.from(jobs)
		.where(eq(jobs.id, sql.placeholder('jobId')))
		.prepare(),
)

export function getJobById(db: Db, jobId: string): JobRow | undefined {
	return jobById(db).get({ jobId })
}

// Read per image file and per lineage step: prepared once, see `preparedFor`.
const imageById = preparedFor((db) =>
	db
		.select()
		.from(images)
		.where(
			and(
				eq(images.id, sql.placeholder('imageId')),
				eq(images.boardId, sql.placeholder('boardId')),
			),
		)
		.prepare(),
)

export function getImage(db: Db, boardId: string, imageId: string): ImageRow | undefined {
	return imageById(db).get({ boardId, imageId })
}

export function imagesOfJob(db: Db, jobId: string): ImageRow[] {
	return db.select().from(images).where(eq(images.jobId, jobId)).orderBy(asc(images.index)).all()
}

/** `{id, name}` of a user, for records that name who did something (or own it). */
export function person(db: Db, userId: string) {
	const user = db
		.select({ id: users.id, name: users.name })
		.from(users)
		.where(eq(users.id, userId))
		.get()
	return user ?? { id: userId, name: 'Unknown' }
}

export function jobView(db: Db, job: JobRow): Job {
	return {
		id: job.id,
		boardId: job.boardId,
		op: job.op,
		status: job.status,
		prompt: job.prompt,
		params: job.params,
		parentImageId: job.parentImageId,
		parentJobId: job.parentJobId,
		width: job.width,
		height: job.height,
		cost: job.cost,
		attempts: job.attempts,
		error: job.error,
		createdBy: person(db, job.createdBy),
		createdAt: toIso(job.createdAt)!,
		startedAt: toIso(job.startedAt),
		finishedAt: toIso(job.finishedAt),
		images: imagesOfJob(db, job.id).map((i) => ({
			id: i.id,
			index: i.index,
			width: i.width,
			height: i.height,
			seed: i.seed,
		})),
		model: job.model ?? null,
	}
}

/** An image with its provenance: where it came from, who asked, what it cost. */
export function imageView(db: Db, image: ImageRow): Image {
	const job = getJobById(db, image.jobId)!
	return {
		id: image.id,
		boardId: image.boardId,
		jobId: image.jobId,
		index: image.index,
		op: job.op,
		opVersion: job.opVersion,
		prompt: job.prompt,
		negativePrompt: job.negativePrompt,
		seed: image.seed,
		params: job.params,
		parentImageId: job.parentImageId,
		backend: image.backend,
		model: image.model,
		requestedModel: job.model ?? null,
		version: image.version,
		width: image.width,
		height: image.height,
		sha256: image.sha256,
		// A grid's cost is shared by its candidates.
		cost: job.cost / Math.max(1, job.seeds.length),
		worker: image.worker ?? null,
		engine: image.engineRecord ?? null,
		checks: job.checks,
		createdBy: person(db, job.createdBy),
		createdAt: toIso(image.createdAt)!,
	}
}
