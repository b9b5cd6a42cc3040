import { type Box, candidateRect, type NodeSlots } from '../../../../shared/layout'
import { MIN_CELL_PX } from '../detail'

/** Edge of one overview tile's bitmap, in device pixels. */
export const TILE_PX = 1024
/**
 * Device pixels the overview may hold over all its tiles (~64 MB of RGBA): past it, the scale
 * drops so a board of any size costs about the same memory.
 */
export const OVERVIEW_BUDGET_PX = 16_000_000
/** Share of the viewport's size added on each side: images there load before they come into view. */
export const NEAR_MARGIN = 0.5

/** What the overview draws of a finished node: its page box and its cells' images. */
export interface OverviewNode {
	id: string
	/** Page bounds (generation nodes are never rotated or resized). */
	x: number
	y: number
	w: number
	h: number
	slots: NodeSlots
	/** One per cell, in cell order. */
	imageIds: string[]
	final: boolean
}

export interface TileRange {
	x0: number
	y0: number
	x1: number
	y1: number
}

export const tileKey = (tx: number, ty: number) => `${tx},${ty}`

/** The overview's canvas pixels per page unit. */
export function overviewScale(options: {
	/** The narrowest cell of the board's finished nodes, in page units. */
	minCellW: number
	devicePixelRatio: number
	/** Sum of the finished nodes' areas, in page units². */
	nodeArea: number
}): number {
	// Crisp as long as a node is distant: its cells are at most `MIN_CELL_PX` wide on screen.
	const crisp = (MIN_CELL_PX * options.devicePixelRatio) / options.minCellW
	// Tiles also hold the gaps between nodes: count twice the nodes' own area.
	const affordable = Math.sqrt(OVERVIEW_BUDGET_PX / Math.max(1, 2 * options.nodeArea))
	if (crisp <= affordable) return crisp
	// Steps of √2 so that a growing board changes scale (and redraws everything) rarely.
	return 2 ** (Math.floor(2 * Math.log2(affordable)) / 2)
}

/**
 * The level of detail drawn at `screenScale` (device pixels per page unit): `finest` halved as
 * long as it stays at or above the screen's scale, so the canvases never hold more than about
 * twice the pixels they show.
 */
export function overviewLevel(finest: number, screenScale: number): number {
	if (!(screenScale > 0) || screenScale >= finest) return finest
	return finest / 2 ** Math.floor(Math.log2(finest / screenScale))
}

/** The tiles a page box touches at `scale`. */
export function tilesOf(box: Box, scale: number): TileRange {
	const edge = TILE_PX / scale
	return {
		x0: Math.floor(box.x / edge),
		y0: Math.floor(box.y / edge),
		x1: Math.floor((box.x + box.w) / edge),
		y1: Math.floor((box.y + box.h) / edge),
	}
}

export function* tileKeys(range: TileRange): Generator<[string, number, number]> {
	for (let ty = range.y0; ty <= range.y1; ty++)
		for (let tx = range.x0; tx <= range.x1; tx++) yield [tileKey(tx, ty), tx, ty]
}

/** A node's cells as page boxes, in cell order. */
export function cellBoxes(node: OverviewNode): Box[] {
	return Array.from({ length: node.slots }, (_, index) => {
		const r = candidateRect(index, node, node.slots)
		return { x: node.x + r.x, y: node.y + r.y, w: r.w, h: r.h }
	})
}

/** A page box in the pixels of tile (tx, ty), snapped outwards to whole pixels. */
export function boxInTile(box: Box, scale: number, tx: number, ty: number): Box {
	const x = Math.floor(box.x * scale - tx * TILE_PX)
	const y = Math.floor(box.y * scale - ty * TILE_PX)
	return {
		x,
		y,
		w: Math.ceil((box.x + box.w) * scale - tx * TILE_PX) - x,
		h: Math.ceil((box.y + box.h) * scale - ty * TILE_PX) - y,
	}
}

/** The viewport grown by `NEAR_MARGIN` of its size on each side. */
export function nearViewport(viewport: Box): Box {
	const dx = viewport.w * NEAR_MARGIN
	const dy = viewport.h * NEAR_MARGIN
	return { x: viewport.x - dx, y: viewport.y - dy, w: viewport.w + 2 * dx, h: viewport.h + 2 * dy }
}

const intersects = (a: Box, b: Box) =>
	a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/**
 * The images to load for a view: those of the nodes in or near it, nearest the view's centre
 * first. Nothing else on the board is fetched.
 */
export function wantedImages(nodes: Iterable<OverviewNode>, viewport: Box): string[] {
	const near = nearViewport(viewport)
	const cx = viewport.x + viewport.w / 2
	const cy = viewport.y + viewport.h / 2
	const found: { d: number; ids: string[] }[] = []
	for (const node of nodes) {
		if (!intersects(node, near)) continue
		const d = (node.x + node.w / 2 - cx) ** 2 + (node.y + node.h / 2 - cy) ** 2
		found.push({ d, ids: node.imageIds })
	}
	return found.sort((a, b) => a.d - b.d).flatMap((f) => f.ids)
}
