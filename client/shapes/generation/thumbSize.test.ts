import { describe, expect, it } from 'vitest'
import { THUMBNAIL_EDGES } from '../../../shared/api'
import { type ThumbSize, thumbSizeFor } from './thumbSize'

/** Cell width on the canvas (a 1:1 grid's cell), as GenerationNode measures it. */
const CELL = 200

/** The sizes a node shows through a sequence of zoom levels on a screen of `dpr`. */
function walk(zooms: number[], dpr = 1): ThumbSize[] {
	let size: ThumbSize | undefined
	return zooms.map((zoom) => {
		size = thumbSizeFor(zoom * CELL * dpr, size)
		return size
	})
}

describe('thumbSizeFor', () => {
	it.each([
		// [device px, previous, expected]
		[10, undefined, 'small'],
		[50, undefined, 'small'],
		[THUMBNAIL_EDGES.small, undefined, 'small'],
		[THUMBNAIL_EDGES.small + 1, undefined, 'thumb'],
		[400, 'small', 'thumb'],
		[50, 'thumb', 'small'],
		// Inside the band a cell keeps what it shows.
		[110, 'small', 'small'],
		[110, 'thumb', 'thumb'],
		[96, 'thumb', 'thumb'],
		[95, 'thumb', 'small'],
	] as const)('%d px after %s → %s', (px, previous, expected) => {
		expect(thumbSizeFor(px, previous)).toBe(expected)
	})

	it('never enlarges the small WebP on screen', () => {
		for (let px = 1; px <= 1000; px++)
			for (const previous of [undefined, 'small', 'thumb'] as const)
				if (thumbSizeFor(px, previous) === 'small')
					expect(px).toBeLessThanOrEqual(THUMBNAIL_EDGES.small)
	})

	it('shows the small one zoomed out and the thumbnail up close, on 1× and 2× screens', () => {
		expect(walk([0.25, 1])).toEqual(['small', 'thumb'])
		expect(walk([0.25, 1], 2)).toEqual(['small', 'thumb'])
		expect(walk([0.25, 0.5], 2)).toEqual(['small', 'thumb'])
	})

	it('does not swap back and forth while zooming in and out around the edge', () => {
		// Zoom steps 0.5 → 0.6 → 0.55 → 0.7 → 0.5 → 0.6 on a 1× screen: 100–140 px cells.
		const sizes = walk([0.5, 0.6, 0.55, 0.7, 0.5, 0.6, 0.5])
		expect(sizes).toEqual(['small', 'small', 'small', 'thumb', 'thumb', 'thumb', 'thumb'])
		const swaps = sizes.filter((size, i) => i > 0 && size !== sizes[i - 1]).length
		expect(swaps).toBe(1)
	})
})
