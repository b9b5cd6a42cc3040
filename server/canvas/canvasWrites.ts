import type { TLRecord } from '@tldraw/tlschema'
import { z } from 'zod'
import { generationNodeSize } from '../../shared/layout'
import { OPS, type OpName } from '../../shared/ops/catalogue'
import { buildGenerationShape, jobShapeIds } from '../../shared/records'
import type { BoardDocs } from '../collab/boardDocs'
import type { Db } from '../db/client'
import { buildJobRecords, indicesAbovePage, markCommitted, writeJobNode } from '../jobs/jobShapes'
import { getImage, getJobById, imagesOfJob, type JobRow } from '../queries/views'

const PointSchema = z.object({ x: z.number().finite(), y: z.number().finite() })

/**
 * A canvas write owed for a committed job change. Each names what to do, never the records: the
 * records are built from the job's row when the write is made, so making it twice is harmless
 * (shape ids derive from the job id) and a late write shows the job as it is by then.
 */
export const CanvasWriteSchema = z.discriminatedUnion('kind', [
	/** A new job's node (and prompt card, arrow): beside its parent, or at `at` for a root. */
	z.object({
		kind: z.literal('place'),
		author: z.string(),
		at: PointSchema.optional(),
		/** A reroll branches from its source grid as a whole, not from one candidate. */
		fromJob: z.boolean().optional(),
	}),
	/** An uploaded image's single-image node, centred on `at`. */
	z.object({ kind: z.literal('upload'), at: PointSchema }),
	/** The job's node as its record says it is now (status, error, candidates, committed). */
	z.object({ kind: z.literal('sync') }),
])
export type CanvasWrite = z.infer<typeof CanvasWriteSchema>

export interface CanvasDeps {
	db: Db
	boards: BoardDocs
}

function uploadNode(deps: CanvasDeps, job: JobRow, at: { x: number; y: number }): TLRecord {
	const image = imagesOfJob(deps.db, job.id)[0]
	const size = generationNodeSize(job.width / job.height)
	const node = buildGenerationShape({
		jobId: job.id,
		x: at.x - size.w / 2,
		y: at.y - size.h / 2,
		index: indicesAbovePage(deps.boards.readRecords(job.boardId), 1)[0],
		op: 'upload',
		label: 'Upload',
		prompt: '',
		aspect: job.width / job.height,
		status: 'done',
		slots: 1,
		kind: 'upload',
	})
	if (image)
		node.props.candidates = [{ imageId: image.id, width: image.width, height: image.height }]
	return node
}

function placeJob(deps: CanvasDeps, job: JobRow, write: CanvasWrite & { kind: 'place' }) {
	const parentImage = job.parentImageId
		? getImage(deps.db, job.boardId, job.parentImageId)
		: undefined
	const parentJob =
		write.fromJob && job.parentJobId ? getJobById(deps.db, job.parentJobId) : undefined
	return buildJobRecords({
		job,
		records: deps.boards.readRecords(job.boardId),
		author: write.author,
		at: write.at,
		parentImage,
		parentJob,
	})
}

/** The job's node (and, for a finished commit op, its parent's candidate) as the records say. */
export function syncJobNode(deps: CanvasDeps, job: JobRow): void {
	writeJobNode(deps.boards, job, imagesOfJob(deps.db, job.id))
	if (job.status === 'done' && OPS[job.op as OpName]?.loop === 'commit' && job.parentImageId) {
		const parent = getImage(deps.db, job.boardId, job.parentImageId)
		if (parent) markCommitted(deps.boards, job.boardId, parent)
	}
}

/**
 * Makes one canvas write against the job's current record. A job that no longer exists (its
 * board was deleted) has nothing to show. A node already placed is not placed again: a user may
 * have moved it, and the retry of a write that half-happened must not duplicate it.
 */
export function applyCanvasWrite(deps: CanvasDeps, jobId: string, write: CanvasWrite): void {
	const job = getJobById(deps.db, jobId)
	if (!job) return
	if (write.kind !== 'sync' && !deps.boards.getRecord(job.boardId, jobShapeIds(job.id).node)) {
		const records =
			write.kind === 'upload' ? [uploadNode(deps, job, write.at)] : placeJob(deps, job, write)
		deps.boards.writeRecords(job.boardId, records)
	}
	syncJobNode(deps, job)
}
