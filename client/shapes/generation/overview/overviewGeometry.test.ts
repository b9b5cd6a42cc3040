import { describe, expect, it } from 'vitest'
import { generationNodeSize } from '../../../../shared/layout'
import { MIN_CELL_PX } from '../detail'
import {
	boxInTile,
	cellBoxes,
	OVERVIEW_BUDGET_PX,
	type OverviewNode,
	overviewLevel,
	overviewScale,
	TILE_PX,
	tilesOf,
	wantedImages,
} from './overviewGeometry'

const SIZE = generationNodeSize(1)

/** A finished 2 × 2 grid at column `col`, row `row` of a board laid out like the bench's. */
function node(col: number, row: number): OverviewNode {
	const id = `${col}.${row}`
	return {
		id,
		x: col * (SIZE.w + 80),
		y: row * (SIZE.h + 80),
		...SIZE,
		slots: 4,
		imageIds: [0, 1, 2, 3].map((i) => `${id}/${i}`),
		final: false,
	}
}

/** The bench's 2,000-node board: 50 columns × 40 rows. */
const board = Array.from({ length: 2000 }, (_, i) => node(i % 50, Math.floor(i / 50)))

describe('wantedImages', () => {
	it('asks only for the images of nodes in or near the view, nearest first', () => {
		// Zoom 1 on a 1440 × 900 window over node (10, 10): about 3 × 2 nodes in view.
		const view = { x: node(10, 10).x, y: node(10, 10).y, w: 1440, h: 900 }
		const wanted = wantedImages(board, view)
		// The trial fetched 868 thumbnails at zoom 1; in and near this view are ~6 × 4 nodes.
		expect(wanted.length).toBeLessThanOrEqual(4 * 7 * 5)
		expect(wanted.length).toBeGreaterThanOrEqual(4 * 6)
		expect(wanted.slice(0, 4)).toEqual(node(11, 10).imageIds)
		for (const id of wanted) {
			const [col, row] = id.split('/')[0].split('.').map(Number)
			expect(col).toBeGreaterThanOrEqual(8)
			expect(col).toBeLessThanOrEqual(14)
			expect(row).toBeGreaterThanOrEqual(8)
			expect(row).toBeLessThanOrEqual(13)
		}
	})

	it('asks for every image when the whole board is in view (fit-all)', () => {
		const view = { x: 0, y: 0, w: 50 * (SIZE.w + 80), h: 40 * (SIZE.h + 80) }
		expect(new Set(wantedImages(board, view)).size).toBe(8000)
	})

	it('asks for nothing far from every node', () => {
		expect(wantedImages(board, { x: -1e6, y: -1e6, w: 1440, h: 900 })).toEqual([])
	})
})

describe('overviewScale', () => {
	it('keeps a distant cell crisp (MIN_CELL_PX device pixels) when the budget allows', () => {
		const area = 2000 * SIZE.w * SIZE.h
		expect(overviewScale({ minCellW: 200, devicePixelRatio: 1, nodeArea: area })).toBeCloseTo(
			MIN_CELL_PX / 200,
		)
		// A retina screen: twice the pixels, which 200 nodes afford.
		expect(overviewScale({ minCellW: 200, devicePixelRatio: 2, nodeArea: area / 10 })).toBeCloseTo(
			(2 * MIN_CELL_PX) / 200,
		)
	})

	it('shrinks a huge board to the pixel budget, in steps that keep it stable', () => {
		const area = 50_000 * SIZE.w * SIZE.h
		const scale = overviewScale({ minCellW: 200, devicePixelRatio: 1, nodeArea: area })
		expect(2 * area * scale ** 2).toBeLessThanOrEqual(OVERVIEW_BUDGET_PX)
		expect(Math.log2(scale) * 2).toBeCloseTo(Math.round(Math.log2(scale) * 2))
		expect(overviewScale({ minCellW: 200, devicePixelRatio: 1, nodeArea: area * 1.05 })).toBe(scale)
	})
})

describe('overviewLevel', () => {
	it('halves the finest level while it stays at or above the screen', () => {
		expect(overviewLevel(0.12, 0.11)).toBe(0.12)
		// Fit-all of the 2,000-node board (zoom 0.05): half the pixels in each direction.
		expect(overviewLevel(0.12, 0.05)).toBe(0.06)
		expect(overviewLevel(0.12, 0.06)).toBe(0.06)
		expect(overviewLevel(0.12, 0.029)).toBe(0.03)
		expect(overviewLevel(0.12, 0.5)).toBe(0.12)
		for (const zoom of [0.001, 0.01, 0.03, 0.07, 0.1])
			expect(overviewLevel(0.12, zoom)).toBeGreaterThanOrEqual(zoom)
	})
})

describe('tiles', () => {
	it('puts a cell in the tiles it touches, at its pixels there', () => {
		const scale = 0.12
		const edge = TILE_PX / scale
		const straddling = { ...node(0, 0), x: edge - 100, y: -50 }
		expect(tilesOf(straddling, scale)).toEqual({ x0: 0, y0: -1, x1: 1, y1: 0 })
		const [first] = cellBoxes(straddling)
		const inFirst = boxInTile(first, scale, 0, 0)
		const inNext = boxInTile(first, scale, 1, 0)
		expect(inNext.x).toBe(inFirst.x - TILE_PX)
		expect(inFirst.w).toBeGreaterThanOrEqual(Math.floor(first.w * scale))
		expect(inFirst.w).toBeLessThanOrEqual(Math.ceil(first.w * scale) + 1)
	})

	it('places the four cells of a grid where the node draws them', () => {
		const cells = cellBoxes(node(0, 0))
		expect(cells).toHaveLength(4)
		expect(cells[1].x).toBeGreaterThan(cells[0].x)
		expect(cells[2].y).toBeGreaterThan(cells[0].y)
		for (const c of cells) expect(c.w).toBe(200)
	})
})
