/**
 * Geometry of Arbor's nodes, shared so the server places shapes exactly where the client draws
 * them (an arrow's anchor on candidate 3 must land on candidate 3's pixels).
 */

export interface Box {
	x: number
	y: number
	w: number
	h: number
}

export const GRID_LAYOUT = {
	/** Long edge of one candidate cell, in canvas units. */
	cellLong: 200,
	gap: 6,
	pad: 10,
	header: 46,
} as const

export const PROMPT_CARD_SIZE = { w: 300, h: 150 } as const

/** Horizontal distance between a parent and its branch. */
export const BRANCH_GAP = 140
/** Room kept between nodes of one tree (siblings stacked to the right of one parent). */
export const STACK_GAP = 40

function cellSize(aspect: number): { w: number; h: number } {
	const { cellLong } = GRID_LAYOUT
	return aspect >= 1
		? { w: cellLong, h: Math.round(cellLong / aspect) }
		: { w: Math.round(cellLong * aspect), h: cellLong }
}

/** Cells a node shows: 4 for a grid (2 × 2), 1 for a single image (an upscale, an upload). */
export type NodeSlots = 1 | 4

const columnsOf = (slots: number) => (slots === 1 ? 1 : 2)

/**
 * Size of a generation node whose candidates have the given width / height. A single image fills
 * the footprint a grid would, so a final stands as large as the grid it came from.
 */
export function generationNodeSize(aspect: number): { w: number; h: number } {
	const { gap, pad, header } = GRID_LAYOUT
	const cell = cellSize(aspect)
	return { w: pad * 2 + cell.w * 2 + gap, h: header + cell.h * 2 + gap + pad }
}

/** Where candidate `index` (row-major) sits inside a node of size `node`. */
export function candidateRect(
	index: number,
	node: { w: number; h: number },
	slots: NodeSlots = 4,
): Box {
	const { gap, pad, header } = GRID_LAYOUT
	if (columnsOf(slots) === 1)
		return { x: pad, y: header, w: node.w - pad * 2, h: node.h - header - pad }
	const w = (node.w - pad * 2 - gap) / 2
	const h = (node.h - header - pad - gap) / 2
	const col = index % 2
	const row = Math.floor(index / 2)
	return { x: pad + col * (w + gap), y: header + row * (h + gap), w, h }
}

/** The centre of candidate `index`, normalized to the node's box (what an arrow binding wants). */
export function candidateAnchor(
	index: number,
	node: { w: number; h: number },
	slots: NodeSlots = 4,
) {
	const r = candidateRect(index, node, slots)
	return { x: (r.x + r.w / 2) / node.w, y: (r.y + r.h / 2) / node.h }
}

export function boxesOverlap(a: Box, b: Box, margin = 0): boolean {
	return (
		a.x < b.x + b.w + margin &&
		b.x < a.x + a.w + margin &&
		a.y < b.y + b.h + margin &&
		b.y < a.y + a.h + margin
	)
}
