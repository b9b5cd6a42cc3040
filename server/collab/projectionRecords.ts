import type { TLRecord, TLShapeId } from '@tldraw/tlschema'
import { getIndicesAbove } from '@tldraw/utils'
import { BRANCH_GAP, candidateAnchor, generationNodeSize, STACK_GAP } from '../../shared/layout'
import { OPS, type OpName } from '../../shared/ops/catalogue'
import { opLabel } from '../../shared/ops/labels'
import {
	buildArrow,
	buildGenerationShape,
	buildPageRecords,
	jobShapeIds,
} from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import { createArborSchema } from '../../shared/shapes/schema'
import { InvalidRecordError } from './boardDocs'

// The client view's canvas, as a pure function of what is published: no database, no doc, so
// layout and validation are tested on their own (projection.ts feeds it and writes the result).

/** One visible image and the step that made it. */
export interface ProjectionImage {
	imageId: string
	jobId: string
	op: string
	params: Record<string, unknown>
	prompt: string
	width: number
	height: number
}

export interface ProjectionInput {
	/**
	 * One path per published image, in publication order: its visible ancestors root first, then
	 * the published image itself (last).
	 */
	paths: ProjectionImage[][]
	/** Prompts are written into the shapes only when the owner shows them. */
	showPrompts: boolean
}

/**
 * Ids of the records one image puts on the client view, derived from the image id alone: the same
 * image keeps its shape across rebuilds, so a rebuild is a small diff. The arrow is the one coming
 * *into* the image from its parent.
 */
export function projectionShapeIds(imageId: string) {
	// The arrow's ids come from the same derivation buildArrow uses, keyed by `arrowKey`.
	const { arrow, arrowStart, arrowEnd } = jobShapeIds(arrowKey(imageId))
	return { node: `shape:image-${imageId}` as TLShapeId, arrow, arrowStart, arrowEnd }
}

const arrowKey = (imageId: string) => `image-${imageId}`

/** Horizontal pitch of the lineage columns: the widest node (landscape or square) plus the gap. */
export const PROJECTION_COLUMN = generationNodeSize(1).w + BRANCH_GAP
/** Vertical room between two published rows. */
export const PROJECTION_ROW_GAP = STACK_GAP * 2

interface Placed {
	image: ProjectionImage
	x: number
	y: number
	w: number
	h: number
	parent?: ProjectionImage
	published: boolean
}

/**
 * Places every image once: one row per published image (its path, root in column 0), an
 * ancestor shared with an earlier row stays where that row put it, and a row with nothing new
 * (its image already placed as someone's ancestor) takes no space.
 */
function place(paths: ProjectionImage[][]): Placed[] {
	const placed = new Map<string, Placed>()
	const published = new Set(paths.map((path) => path.at(-1)?.imageId))
	let rowY = 0
	for (const path of paths) {
		let rowH = 0
		path.forEach((image, column) => {
			if (placed.has(image.imageId)) return
			const size = generationNodeSize(image.width / image.height)
			placed.set(image.imageId, {
				image,
				x: column * PROJECTION_COLUMN,
				y: rowY,
				...size,
				parent: path[column - 1],
				published: published.has(image.imageId),
			})
			rowH = Math.max(rowH, size.h)
		})
		if (rowH > 0) rowY += rowH + PROJECTION_ROW_GAP
	}
	return [...placed.values()]
}

function kindOf(node: Placed): GenerationShape['props']['kind'] {
	if (node.published) return 'final'
	return node.image.op === 'upload' ? 'upload' : 'grid'
}

/**
 * Every record of a board's client view: the document and page, one single-cell
 * `arbor-generation` node per visible image (published ones framed as finals), and an arrow from
 * each image's parent to it, bound at both ends the way the board's arrows are. Nodes first, then
 * arrows above every node (tldraw rewrites arrows that sit below what they bind).
 */
export function buildProjectionRecords(input: ProjectionInput): TLRecord[] {
	const nodes = place(input.paths)
	// A node is committed when a commit op (upscale) made a visible final of it, as on the board.
	const committed = new Set(
		nodes
			.filter((n) => n.parent && OPS[n.image.op as OpName]?.loop === 'commit')
			.map((n) => n.parent!.imageId),
	)
	const arrows = nodes.filter((n) => n.parent)
	const indices = getIndicesAbove(null, nodes.length + arrows.length)
	const records: TLRecord[] = buildPageRecords()
	const byId = new Map(nodes.map((n) => [n.image.imageId, n]))
	nodes.forEach((node, i) => {
		const { image } = node
		const shape = buildGenerationShape({
			jobId: image.jobId,
			op: image.op,
			label: opLabel(image.op, image.params),
			prompt: input.showPrompts ? image.prompt : '',
			aspect: image.width / image.height,
			status: 'done',
			slots: 1,
			kind: kindOf(node),
			x: node.x,
			y: node.y,
			index: indices[i],
		})
		records.push({
			...shape,
			id: projectionShapeIds(image.imageId).node,
			props: {
				...shape.props,
				candidates: [{ imageId: image.imageId, width: image.width, height: image.height }],
				committed: committed.has(image.imageId) ? [image.imageId] : [],
			},
		})
	})
	arrows.forEach((child, i) => {
		const parent = byId.get(child.parent!.imageId)!
		const anchor = candidateAnchor(0, parent, 1)
		records.push(
			...buildArrow({
				jobId: arrowKey(child.image.imageId),
				index: indices[nodes.length + i],
				from: {
					shapeId: projectionShapeIds(parent.image.imageId).node,
					anchor,
					point: { x: parent.x + anchor.x * parent.w, y: parent.y + anchor.y * parent.h },
				},
				to: {
					shapeId: projectionShapeIds(child.image.imageId).node,
					anchor: { x: 0, y: 0.5 },
					point: { x: child.x, y: child.y + child.h / 2 },
				},
				meta: { parentImageId: parent.image.imageId },
			}),
		)
	})
	return records
}

interface RecordTypeCheck {
	typeName: string
	scope: string
	validate(record: unknown): TLRecord
}

let recordTypes: Record<string, RecordTypeCheck> | undefined

/**
 * Checks each record against the board schema the way `BoardDocs.writeRecords` does (known type,
 * document scope, valid props): throws `InvalidRecordError` on the first bad one. A client's
 * store would otherwise stall on it, and the client view would stop updating.
 */
export function validateProjectionRecords(records: TLRecord[]): TLRecord[] {
	recordTypes ??= createArborSchema().types
	return records.map((record) => {
		const type = Object.hasOwn(recordTypes!, record.typeName)
			? recordTypes![record.typeName]
			: undefined
		if (!type) throw new InvalidRecordError(record.id, `unknown record type ${record.typeName}`)
		if (type.scope !== 'document')
			throw new InvalidRecordError(record.id, `${type.typeName} is not a document record`)
		try {
			return type.validate(record)
		} catch (err) {
			throw new InvalidRecordError(record.id, err)
		}
	})
}
