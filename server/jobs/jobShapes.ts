import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { getIndicesAbove, type IndexKey, sortByIndex } from '@tldraw/utils'
import type { JobStatus } from '../../shared/api'
import { candidateAnchor, generationNodeSize, PROMPT_CARD_SIZE } from '../../shared/layout'
import { OPS, type OpName } from '../../shared/ops/catalogue'
import { opLabel } from '../../shared/ops/labels'
import { placeChild, placeRoot } from '../../shared/placement'
import { placementScene } from '../../shared/placementScene'
import {
	BOARD_PAGE_ID,
	buildArrow,
	buildGenerationShape,
	buildPromptCard,
	jobShapeIds,
} from '../../shared/records'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import type { BoardDocs } from '../collab/boardDocs'
import type { ImageRow, JobRow } from '../queries/views'

export function jobLabel(job: Pick<JobRow, 'op' | 'params'>): string {
	return opLabel(job.op, job.params)
}

function pageShapes(records: TLRecord[]): TLShape[] {
	return records.filter((r): r is TLShape => r.typeName === 'shape' && r.parentId === BOARD_PAGE_ID)
}

/** `n` z-indices above every shape on the page. */
export function indicesAbovePage(records: TLRecord[], n: number): IndexKey[] {
	const top = [...pageShapes(records)].sort(sortByIndex).at(-1)?.index ?? null
	return getIndicesAbove(top as IndexKey | null, n)
}

/**
 * The records a new job adds to its board: for `imagine`, a prompt card and its node joined by an
 * arrow, at the asker's viewport; for a branch, a node to the right of the parent's node, joined
 * by an arrow that starts on the exact candidate it came from.
 */
export function buildJobRecords(options: {
	job: JobRow
	records: TLRecord[]
	author: string
	at?: { x: number; y: number }
	parentImage?: ImageRow
	/** A reroll's source grid: the new grid branches from the whole node. */
	parentJob?: JobRow
}): TLRecord[] {
	const { job, records, author } = options
	const ids = jobShapeIds(job.id)
	const scene = placementScene(records)
	const [cardIndex, nodeIndex, arrowIndex] = indicesAbovePage(records, 3)
	const aspect = job.width / job.height
	const nodeSize = generationNodeSize(aspect)
	const single = OPS[job.op as OpName]?.yields === 'single'
	const node = (x: number, y: number) =>
		buildGenerationShape({
			jobId: job.id,
			x,
			y,
			index: nodeIndex,
			op: job.op,
			label: jobLabel(job),
			prompt: job.prompt,
			aspect,
			status: job.status,
			slots: single ? 1 : 4,
			kind: OPS[job.op as OpName]?.loop === 'commit' ? 'final' : 'grid',
		})

	const { parentImage, parentJob } = options
	const nodeOf = (jobId: string) =>
		records.find((r) => r.id === jobShapeIds(jobId).node) as GenerationShape | undefined
	const parentNode = parentJob
		? nodeOf(parentJob.id)
		: parentImage
			? nodeOf(parentImage.jobId)
			: undefined

	const parentPlaced = parentNode && scene.nodes.find((n) => n.id === parentNode.id)
	if (parentNode && parentPlaced) {
		const parentBox = parentPlaced
		// A branch leaves from the exact candidate it came from; a reroll from the whole grid.
		const fromCandidate = !!parentImage && !parentJob
		const anchor = fromCandidate
			? candidateAnchor(parentImage.index, parentBox, parentNode.props.slots === 1 ? 1 : 4)
			: { x: 1, y: 0.5 }
		const from = {
			x: parentBox.x + anchor.x * parentBox.w,
			y: parentBox.y + anchor.y * parentBox.h,
		}
		const spot = placeChild({ parent: parentPlaced, from, size: nodeSize, scene })
		const arrow = buildArrow({
			jobId: job.id,
			index: arrowIndex,
			from: {
				shapeId: parentNode.id,
				anchor,
				point: from,
				exact: fromCandidate,
			},
			to: {
				shapeId: ids.node,
				anchor: { x: 0, y: 0.5 },
				point: { x: spot.x, y: spot.y + nodeSize.h / 2 },
			},
			meta: parentJob
				? { parentJobId: parentJob.id }
				: { parentImageId: parentImage!.id, candidateIndex: parentImage!.index },
		})
		return [node(spot.x, spot.y), ...arrow]
	}

	// A root (or a branch whose parent node was deleted from the canvas): card, then node.
	const at = options.at ?? { x: 0, y: 0 }
	const groupW = PROMPT_CARD_SIZE.w + 80 + nodeSize.w
	const group = placeRoot({ at, size: { w: groupW, h: nodeSize.h }, scene })
	const card = buildPromptCard({
		jobId: job.id,
		x: group.x,
		y: group.y + (nodeSize.h - PROMPT_CARD_SIZE.h) / 2,
		index: cardIndex,
		prompt: job.prompt,
		aspectRatio: String(job.params.aspectRatio ?? `${job.width}×${job.height}`),
		author,
	})
	const nodeX = group.x + PROMPT_CARD_SIZE.w + 80
	const arrow = buildArrow({
		jobId: job.id,
		index: arrowIndex,
		from: {
			shapeId: card.id,
			anchor: { x: 1, y: 0.5 },
			point: { x: card.x + PROMPT_CARD_SIZE.w, y: card.y + PROMPT_CARD_SIZE.h / 2 },
		},
		to: {
			shapeId: ids.node,
			anchor: { x: 0, y: 0.5 },
			point: { x: nodeX, y: group.y + nodeSize.h / 2 },
		},
		meta: options.parentImage ? { parentImageId: options.parentImage.id } : {},
	})
	return [card, node(nodeX, group.y), ...arrow]
}

/**
 * The node of a job as its record says it is now: status, error, candidates. Keeps whatever the
 * users did to the shape (position, size). Returns null when the node was deleted from the canvas.
 *
 * A commit op's final (an upscale) becomes committed and locked (tldraw `isLocked`) the moment
 * it turns done: a final is the end of the commit loop, whether it came from "commit a pick" or a
 * plain upscale (both already mark their parent candidate committed), and a committed result
 * should not vanish because someone cleaned the canvas. The lock is set on that transition only, so an owner
 * who unlocks it later is not overruled by a repeated sync of the same finished job. The server
 * keeps non-owners from deleting or unlocking it (`collab/lockGuard.ts`).
 */
export function syncedJobNode(
	current: TLRecord | undefined,
	job: { status: JobStatus; error: string | null; op: string },
	images: ImageRow[],
): GenerationShape | null {
	if (current?.typeName !== 'shape' || current.type !== GENERATION_SHAPE) return null
	const shape = current as GenerationShape
	const finishedFinal =
		job.status === 'done' &&
		shape.props.status !== 'done' &&
		shape.props.kind === 'final' &&
		OPS[job.op as OpName]?.loop === 'commit'
	const committed = finishedFinal
		? [...new Set([...shape.props.committed, ...images.map((i) => i.id)])]
		: shape.props.committed
	return {
		...shape,
		isLocked: finishedFinal || shape.isLocked,
		props: {
			...shape.props,
			status: job.status,
			error: job.status === 'failed' ? (job.error ?? 'Failed') : '',
			candidates: images.map((i) => ({ imageId: i.id, width: i.width, height: i.height })),
			committed,
		},
	}
}

export function writeJobNode(boards: BoardDocs, job: JobRow, images: ImageRow[]): void {
	const next = syncedJobNode(boards.getRecord(job.boardId, jobShapeIds(job.id).node), job, images)
	if (next) boards.writeRecords(job.boardId, [next])
}

/** Marks a candidate as committed on its node once a commit op (upscale) made a final of it. */
export function markCommitted(boards: BoardDocs, boardId: string, parent: ImageRow): void {
	const node = boards.getRecord(boardId, jobShapeIds(parent.jobId).node) as
		| GenerationShape
		| undefined
	if (node?.type !== GENERATION_SHAPE || node.props.committed.includes(parent.id)) return
	boards.writeRecords(boardId, [
		{ ...node, props: { ...node.props, committed: [...node.props.committed, parent.id] } },
	])
}
