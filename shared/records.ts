import {
	type TLArrowBinding,
	type TLArrowShape,
	type TLBindingId,
	type TLPageId,
	type TLRecord,
	type TLShapeId,
	toRichText,
} from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import type { JobStatus } from './api'
import { clampCoordinate } from './coordinates'
import { generationNodeSize, type NodeSlots, PROMPT_CARD_SIZE } from './layout'
import { GENERATION_SHAPE, type GenerationShape } from './shapes/generationShape'
import { PROMPT_SHAPE, type PromptShape } from './shapes/promptShape'

/** The page every board draws on. Boards have one page; the server creates it with the doc. */
export const BOARD_PAGE_ID = 'page:page'
export const BOARD_DOCUMENT_ID = 'document:document'

/**
 * Ids of every record a job puts on the canvas, derived from the job id so that writing them twice
 * (a retry, a redelivered completion) overwrites instead of duplicating.
 */
export function jobShapeIds(jobId: string) {
	return {
		node: `shape:gen-${jobId}` as TLShapeId,
		prompt: `shape:prompt-${jobId}` as TLShapeId,
		arrow: `shape:arrow-${jobId}` as TLShapeId,
		arrowStart: `binding:arrow-${jobId}-start` as TLBindingId,
		arrowEnd: `binding:arrow-${jobId}-end` as TLBindingId,
	}
}

export function buildPageRecords(): TLRecord[] {
	return [
		{ id: BOARD_DOCUMENT_ID, typeName: 'document', gridSize: 10, name: '', meta: {} },
		{ id: BOARD_PAGE_ID, typeName: 'page', name: 'Board', index: 'a1', meta: {} },
	] as TLRecord[]
}

interface Placed {
	x: number
	y: number
	/** Fractional z-index, above everything already on the page. */
	index: IndexKey
}

export function buildGenerationShape(
	options: Placed & {
		jobId: string
		op: string
		label: string
		prompt: string
		aspect: number
		status: JobStatus
		slots?: NodeSlots
		kind?: GenerationShape['props']['kind']
	},
): GenerationShape {
	const slots = options.slots ?? 4
	const size = generationNodeSize(options.aspect)
	return {
		id: jobShapeIds(options.jobId).node,
		typeName: 'shape',
		type: GENERATION_SHAPE,
		x: clampCoordinate(options.x),
		y: clampCoordinate(options.y),
		rotation: 0,
		index: options.index,
		parentId: BOARD_PAGE_ID as TLPageId,
		isLocked: false,
		opacity: 1,
		props: {
			...size,
			jobId: options.jobId,
			op: options.op,
			label: options.label,
			prompt: options.prompt,
			status: options.status,
			error: '',
			aspect: options.aspect,
			candidates: [],
			slots,
			kind: options.kind ?? 'grid',
			committed: [],
		},
		meta: {},
	} as GenerationShape
}

export function buildPromptCard(
	options: Placed & { jobId: string; prompt: string; aspectRatio: string; author: string },
): PromptShape {
	return {
		id: jobShapeIds(options.jobId).prompt,
		typeName: 'shape',
		type: PROMPT_SHAPE,
		x: clampCoordinate(options.x),
		y: clampCoordinate(options.y),
		rotation: 0,
		index: options.index,
		parentId: BOARD_PAGE_ID as TLPageId,
		isLocked: false,
		opacity: 1,
		props: {
			...PROMPT_CARD_SIZE,
			prompt: options.prompt,
			aspectRatio: options.aspectRatio,
			author: options.author,
			jobId: options.jobId,
		},
		meta: {},
	} as PromptShape
}

export interface ArrowEnd {
	shapeId: TLShapeId
	/** Point on the bound shape, 0–1 of its box. */
	anchor: { x: number; y: number }
	/** The same point in page space, for the arrow's stored geometry. */
	point: { x: number; y: number }
	/** End exactly on the anchor (inside the shape) instead of where the line meets its edge: an
	 * arrow from a candidate leaves from that candidate's cell. */
	exact?: boolean
}

/**
 * An arrow from one shape to another: the arrow and its two bindings (both bindings go *from* the
 * arrow, `terminal` says which end). `meta` on the arrow names what it means in the lineage.
 */
export function buildArrow(options: {
	jobId: string
	index: IndexKey
	from: ArrowEnd
	to: ArrowEnd
	meta: Record<string, string | number>
}): [TLArrowShape, TLArrowBinding, TLArrowBinding] {
	const ids = jobShapeIds(options.jobId)
	const { from, to } = options
	const arrow = {
		id: ids.arrow,
		typeName: 'shape',
		type: 'arrow',
		x: clampCoordinate(from.point.x),
		y: clampCoordinate(from.point.y),
		rotation: 0,
		index: options.index,
		parentId: BOARD_PAGE_ID as TLPageId,
		isLocked: false,
		opacity: 1,
		props: {
			kind: 'arc',
			labelColor: 'black',
			color: 'grey',
			fill: 'none',
			dash: 'solid',
			size: 's',
			arrowheadStart: 'none',
			arrowheadEnd: 'arrow',
			font: 'sans',
			start: { x: 0, y: 0 },
			end: { x: to.point.x - from.point.x, y: to.point.y - from.point.y },
			bend: 0,
			richText: toRichText(''),
			labelPosition: 0.5,
			scale: 1,
			elbowMidPoint: 0.5,
		},
		meta: options.meta,
	} as TLArrowShape
	const binding = (terminal: 'start' | 'end', end: ArrowEnd): TLArrowBinding =>
		({
			id: terminal === 'start' ? ids.arrowStart : ids.arrowEnd,
			typeName: 'binding',
			type: 'arrow',
			fromId: ids.arrow,
			toId: end.shapeId,
			props: {
				terminal,
				normalizedAnchor: end.anchor,
				isExact: end.exact ?? false,
				isPrecise: true,
				snap: 'none',
			},
			meta: {},
		}) as TLArrowBinding
	return [arrow, binding('start', from), binding('end', to)]
}
