import type { Editor, TLShapeId } from 'tldraw'
import { JobCreateSchema } from '../../../shared/ops/catalogue'
import type { Dimensions } from '../../../shared/ops/geometry'
import { priceOf } from '../../../shared/ops/pricing'
import type { ExploreRequest } from '../../board/BoardContext'

const GAP = 12
const MARGIN = 8
/** Screen pixels at the bottom of the canvas taken by the prompt bar and tldraw's toolbar. */
export const DEFAULT_BOTTOM_RESERVED = 190

export interface BarPlacement {
	left: number
	top: number
	side: 'below' | 'above' | 'over'
}

interface ScreenBox {
	x: number
	y: number
	w: number
	h: number
}

/**
 * Where a bar of `size` goes for a node at `node` (viewport pixels) in a viewport of `screen`
 * whose bottom `reserved` pixels are covered (the prompt bar): centred under the node, above it
 * when the prompt bar would cover it, over its lower edge when neither fits; null while the node
 * is off screen.
 */
export function placeBar(
	node: ScreenBox,
	screen: { w: number; h: number },
	size: { w: number; h: number },
	reserved = DEFAULT_BOTTOM_RESERVED,
): BarPlacement | null {
	if (node.x + node.w < 0 || node.x > screen.w || node.y + node.h < 0 || node.y > screen.h)
		return null
	const maxBottom = screen.h - reserved
	const clampLeft = (x: number) => Math.max(MARGIN, Math.min(x, screen.w - size.w - MARGIN))
	const left = clampLeft(node.x + node.w / 2 - size.w / 2)
	const below = node.y + node.h + GAP
	if (below + size.h <= maxBottom) return { left, top: below, side: 'below' }
	const above = node.y - GAP - size.h
	if (above >= MARGIN) return { left, top: above, side: 'above' }
	return { left, top: Math.max(MARGIN, maxBottom - size.h), side: 'over' }
}

/** {@link placeBar} for a shape on the canvas, in the editor's viewport coordinates. */
export function barPlacement(
	editor: Editor,
	shapeId: TLShapeId,
	size: { w: number; h: number },
	reserved = DEFAULT_BOTTOM_RESERVED,
): BarPlacement | null {
	const bounds = editor.getShapePageBounds(shapeId)
	if (!bounds) return null
	const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
	const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
	const screen = editor.getViewportScreenBounds()
	return placeBar(
		{
			x: topLeft.x,
			y: topLeft.y,
			w: bottomRight.x - topLeft.x,
			h: bottomRight.y - topLeft.y,
		},
		{ w: screen.w, h: screen.h },
		size,
		reserved,
	)
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
