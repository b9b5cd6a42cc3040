import { asc, eq } from 'drizzle-orm'
import type { BoardDocs } from '../collab/boardDocs'
import type { Db } from '../db/client'
import { canvasOutbox, jobs } from '../db/schema'
import type { Logger } from '../logger'
import { applyCanvasWrite, type CanvasWrite, CanvasWriteSchema, syncJobNode } from './canvasWrites'

/** A drizzle handle or the transaction a command is in. */
type Writer = Pick<Db, 'insert'>

/**
 * The canvas half of a job change, owed once the change has committed. A command calls
 * `canvasWriteOwed` inside its SQLite transaction and `drain` after it: a rollback takes the owed
 * write with it, so no client ever sees a node the database does not hold.
 *
 * @example
 * const job = ctx.db.transaction((tx) => {
 * 	const row = tx.insert(jobs).values(…).returning().get()
 * 	canvasWriteOwed(tx, row, { kind: 'place', author: user.name })
 * 	return row
 * })
 * ctx.canvas.drain()
 */
export function canvasWriteOwed(
	tx: Writer,
	job: { id: string; boardId: string },
	write: CanvasWrite,
): void {
	tx.insert(canvasOutbox)
		.values({ boardId: job.boardId, jobId: job.id, write: CanvasWriteSchema.parse(write) })
		.run()
}

export interface CanvasOutbox {
	/**
	 * Makes every owed write, oldest first, deleting each row once the doc holds it. A write that
	 * fails is logged and stays owed (with the later writes of the same job, which may depend on
	 * it): the next drain, or the next start-up, tries again.
	 */
	drain(): void
	/**
	 * Start-up: makes the writes owed from before (a crash between commit and write), then brings
	 * every job's node to the state its record says (a stale node is repaired). A node users
	 * deleted stays deleted. Returns how many boards it looked at.
	 */
	reconcile(): number
}

export function createCanvasOutbox(deps: {
	db: Db
	boards: BoardDocs
	logger: Logger
}): CanvasOutbox {
	const { db, logger } = deps
	const logged = logger.child({ module: 'canvas' })
	let draining = false

	function drain() {
		// A write cannot start another drain (doc writes are synchronous and call no command), but
		// a re-entrant call would read rows the outer loop is about to make.
		if (draining) return
		draining = true
		try {
			const rows = db.select().from(canvasOutbox).orderBy(asc(canvasOutbox.id)).all()
			const blocked = new Set<string>()
			const synced = new Set<string>()
			for (const row of rows) {
				if (blocked.has(row.jobId)) continue
				try {
					const write = CanvasWriteSchema.parse(row.write)
					// Syncs read the record as it is now: one per job per drain is enough.
					if (write.kind !== 'sync' || !synced.has(row.jobId))
						applyCanvasWrite(deps, row.jobId, write)
					if (write.kind === 'sync') synced.add(row.jobId)
					db.delete(canvasOutbox).where(eq(canvasOutbox.id, row.id)).run()
				} catch (err) {
					blocked.add(row.jobId)
					logged.error(
						{ err, boardId: row.boardId, jobId: row.jobId, outboxId: row.id },
						'could not write a job to the canvas; it stays owed',
					)
				}
			}
		} finally {
			draining = false
		}
	}

	function reconcile() {
		drain()
		const boardIds = db.selectDistinct({ boardId: jobs.boardId }).from(jobs).all()
		for (const { boardId } of boardIds) {
			try {
				const rows = db.select().from(jobs).where(eq(jobs.boardId, boardId)).all()
				for (const job of rows) syncJobNode(deps, job)
			} catch (err) {
				logged.error({ err, boardId }, 'could not reconcile the board with its jobs')
			}
		}
		return boardIds.length
	}

	return { drain, reconcile }
}
