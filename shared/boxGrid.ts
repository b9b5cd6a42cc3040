import type { Box } from './layout'

const MAX_CELLS_PER_BOX = 64
/** Cells are numbered row by row; boards end at ±10 million units, far inside ±2^20 cells. */
const cellKey = (i: number, j: number) => i * 2 ** 21 + j

/**
 * Boxes bucketed by a coarse grid, so that "is anything within `pad` of this box" looks only at
 * the cells around it instead of every box on the board. Placement asks that question thousands
 * of times per new node; on a 2,000-node board a linear scan each time held the server's event
 * loop for a quarter of a second per job.
 *
 * `some` may call the predicate on a box that is farther than `pad` (a cell's neighbour) or more
 * than once (a box spanning cells): the predicate decides, the grid only skips boxes that cannot
 * be within `pad`. So a query answers exactly what `items.some(predicate)` would.
 */
export class BoxGrid<T> {
	private readonly cells = new Map<number, T[]>()
	/** Boxes spanning too many cells to bucket (a huge frame): looked at by every query. */
	private readonly wide: T[] = []

	constructor(
		private readonly items: readonly T[],
		boxOf: (item: T) => Box,
		private readonly cellSize = 1024,
	) {
		for (const item of items) {
			const range = this.range(boxOf(item), 0)
			const cellCount = (range.x1 - range.x0 + 1) * (range.y1 - range.y0 + 1)
			if (!(cellCount <= MAX_CELLS_PER_BOX)) {
				this.wide.push(item)
				continue
			}
			for (let i = range.x0; i <= range.x1; i++)
				for (let j = range.y0; j <= range.y1; j++) {
					const key = cellKey(i, j)
					const cell = this.cells.get(key)
					if (cell) cell.push(item)
					else this.cells.set(key, [item])
				}
		}
	}

	/** Whether `predicate` holds for any item whose box may lie within `pad` of `box`. */
	some(box: Box, pad: number, predicate: (item: T) => boolean): boolean {
		if (this.wide.some(predicate)) return true
		const range = this.range(box, pad)
		const cellCount = (range.x1 - range.x0 + 1) * (range.y1 - range.y0 + 1)
		// A query wider than the board (or a huge pad) costs more in cells than a plain scan.
		if (!Number.isFinite(cellCount) || cellCount > this.cells.size)
			return this.items.some(predicate)
		for (let i = range.x0; i <= range.x1; i++)
			for (let j = range.y0; j <= range.y1; j++) {
				const cell = this.cells.get(cellKey(i, j))
				if (cell?.some(predicate)) return true
			}
		return false
	}

	private range(box: Box, pad: number) {
		const size = this.cellSize
		return {
			x0: Math.floor((box.x - pad) / size),
			x1: Math.floor((box.x + box.w + pad) / size),
			y0: Math.floor((box.y - pad) / size),
			y1: Math.floor((box.y + box.h + pad) / size),
		}
	}
}

/** The box a segment's two ends span: what a segment–box crossing test can touch. */
export function segmentBounds(p: { x: number; y: number }, q: { x: number; y: number }): Box {
	const x = Math.min(p.x, q.x)
	const y = Math.min(p.y, q.y)
	return { x, y, w: Math.abs(q.x - p.x), h: Math.abs(q.y - p.y) }
}
