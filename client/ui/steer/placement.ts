import type { Editor, TLShapeId } from 'tldraw'
import { JobCreateSchema } from '../../../shared/ops/catalogue'
import type { Dimensions } from '../../../shared/ops/geometry'
import { priceOf } from '../../../shared/ops/pricing'
import { GENERATION_SHAPE } from '../../../shared/shapes/generationShape'
import { PROMPT_SHAPE } from '../../../shared/shapes/promptShape'
import type { ExploreRequest } from '../../board/BoardContext'
import { type Insets, type Rect, safeArea } from '../../board/insets'
import { bestSpot } from '../../board/overlaySpots'

const GAP = 12
const MARGIN = 8
/** Covering the node being steered costs this much more per pixel than covering another node. */
const ACTIVE_WEIGHT = 100
const OTHER_WEIGHT = 10

export interface BarPlacement {
	left: number
	top: number
	side: 'below' | 'above' | 'docked'
}

/**
 * Where a bar of `size` goes for the node at `node` (viewport pixels) in a viewport of `screen`
 * whose UI covers `insets`: under the node, centred, by default; else above it, else aligned with
 * one of its edges, else docked at the top or bottom of the free area — whichever covers the
 * least of the node itself, then of the other nodes in view (`others`: a new result beside it).
 * Null while the node is off screen.
 */
export function placeBar(options: {
	node: Rect
	screen: { w: number; h: number }
	size: { w: number; h: number }
	insets: Insets
	others?: Rect[]
}): BarPlacement | null {
	const { node, screen, size, insets } = options
	if (node.x + node.w < 0 || node.x > screen.w || node.y + node.h < 0 || node.y > screen.h)
		return null
	const clampLeft = (x: number) => Math.max(MARGIN, Math.min(x, screen.w - size.w - MARGIN))
	const centred = clampLeft(node.x + node.w / 2 - size.w / 2)
	const alignedLeft = clampLeft(node.x)
	const alignedRight = clampLeft(node.x + node.w - size.w)
	const below = node.y + node.h + GAP
	const above = node.y - GAP - size.h
	const safe = safeArea(screen, insets)
	const dockTop = Math.max(MARGIN, safe.y)
	const dockBottom = safe.y + safe.h - size.h
	const spots: (BarPlacement & Rect)[] = [
		{ left: centred, top: below, side: 'below' },
		{ left: centred, top: above, side: 'above' },
		{ left: alignedLeft, top: below, side: 'below' },
		{ left: alignedRight, top: below, side: 'below' },
		{ left: alignedLeft, top: above, side: 'above' },
		{ left: alignedRight, top: above, side: 'above' },
		{ left: centred, top: dockTop, side: 'docked' },
		{ left: centred, top: dockBottom, side: 'docked' },
	].map((spot) => ({ ...(spot as BarPlacement), x: spot.left, y: spot.top, ...size }))
	// The bar may sit over the margin the insets keep for framing, not under the UI itself.
	const bounds = { x: 0, y: Math.max(0, insets.top - 16), w: screen.w, h: 0 }
	bounds.h = Math.max(1, screen.h - Math.max(0, insets.bottom - 16) - bounds.y)
	const obstacles = [
		{ rect: node, weight: ACTIVE_WEIGHT },
		...(options.others ?? []).map((rect) => ({ rect, weight: OTHER_WEIGHT })),
	]
	const { left, top, side } = spots[bestSpot(spots, bounds, obstacles)]!
	return { left, top, side }
}

/** A shape's rect in the editor's viewport coordinates. */
export function viewportRect(editor: Editor, id: TLShapeId): Rect | null {
	const bounds = editor.getShapePageBounds(id)
	if (!bounds) return null
	const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
	const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
	return { x: topLeft.x, y: topLeft.y, w: bottomRight.x - topLeft.x, h: bottomRight.y - topLeft.y }
}

/** The viewport rects of Arbor's nodes and prompt cards in view, but for `except`. */
export function nodesInView(editor: Editor, except?: TLShapeId): Rect[] {
	const hidden = editor.getNotVisibleShapes()
	const rects: Rect[] = []
	for (const id of editor.getCurrentPageShapeIds()) {
		if (id === except || hidden.has(id)) continue
		const shape = editor.getShape(id)
		if (shape?.type !== GENERATION_SHAPE && shape?.type !== PROMPT_SHAPE) continue
		const rect = viewportRect(editor, id)
		if (rect) rects.push(rect)
	}
	return rects
}

/** {@link placeBar} for a shape on the canvas, in the editor's viewport coordinates. */
export function barPlacement(
	editor: Editor,
	shapeId: TLShapeId,
	size: { w: number; h: number },
	insets: Insets,
): BarPlacement | null {
	const node = viewportRect(editor, shapeId)
	if (!node) return null
	const screen = editor.getViewportScreenBounds()
	return placeBar({
		node,
		screen: { w: screen.w, h: screen.h },
		size,
		insets,
		others: nodesInView(editor, shapeId),
	})
}

/**
 * What an exploration request costs on a parent of this size, with the function the server
 * charges with (`scale`: the model's price scale); null when the op can't apply (a pan past the widest aspect ratio).
 */
export function explorePrice(
	request: ExploreRequest,
	parent: Dimensions,
	scale = 1,
): number | null {
	const parsed = JobCreateSchema.safeParse(request)
	if (!parsed.success) return null
	try {
		return priceOf(parsed.data, parent, scale)
	} catch {
		// OpInputError: the server would refuse it with a 422 that says why; no price to show.
		return null
	}
}

/**
 * Where the upscale menu (`panel` sized) opens from the steering bar: on the side away from the
 * node being upscaled first, then beside the bar — whichever covers the least of that node, then
 * of the others, inside `bounds` (the canvas). All rects in one coordinate space; returns the
 * panel's top-left.
 */
export function placeMenu(options: {
	trigger: Rect
	bar: Rect
	panel: { w: number; h: number }
	bounds: Rect
	node: Rect | null
	others: Rect[]
}): { x: number; y: number } {
	const { trigger, bar, panel, bounds, node } = options
	const gap = 10
	const right = trigger.x + trigger.w + 5 - panel.w
	const above = { x: right, y: bar.y - gap - panel.h }
	const below = { x: right, y: bar.y + bar.h + gap }
	const nodeAbove = node ? node.y + node.h / 2 < bar.y + bar.h / 2 : false
	const points = [
		...(nodeAbove ? [below, above] : [above, below]),
		{ x: bar.x + bar.w + gap, y: bar.y + bar.h - panel.h },
		{ x: bar.x + bar.w + gap, y: bar.y },
		{ x: bar.x - gap - panel.w, y: bar.y + bar.h - panel.h },
		{ x: bar.x - gap - panel.w, y: bar.y },
		// A large node leaves no room around the bar: beside the node itself, level with the bar.
		...(node
			? [
					{ x: node.x + node.w + gap, y: bar.y + bar.h - panel.h },
					{ x: node.x - gap - panel.w, y: bar.y + bar.h - panel.h },
					{ x: node.x + node.w + gap, y: node.y },
					{ x: node.x - gap - panel.w, y: node.y },
				]
			: []),
	]
	const spots = points.map((p) => ({ ...p, ...panel }))
	const obstacles = [
		...(node ? [{ rect: node, weight: 100 }] : []),
		...options.others.map((rect) => ({ rect, weight: 10 })),
	]
	const { x, y } = spots[bestSpot(spots, bounds, obstacles)]!
	return { x, y }
}
