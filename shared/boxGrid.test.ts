import { describe, expect, it } from 'vitest'
import { BoxGrid } from './boxGrid'
import type { Box } from './layout'

/** A seeded generator, so a failing case replays. */
function random(seed: number) {
	let s = seed
	return () => {
		s = (s * 1103515245 + 12345) % 2147483648
		return s / 2147483648
	}
}

function randomBox(next: () => number, spread: number, maxSize: number): Box {
	return {
		x: (next() - 0.5) * spread,
		y: (next() - 0.5) * spread,
		w: next() * maxSize,
		h: next() * maxSize,
	}
}

const gap = (a: Box, b: Box) =>
	Math.hypot(
		Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w)),
		Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h)),
	)

describe('BoxGrid', () => {
	it('answers "anything within pad?" exactly as a scan of every box does', () => {
		for (let seed = 1; seed <= 200; seed++) {
			const next = random(seed)
			const boxes = Array.from({ length: Math.floor(next() * 300) }, () =>
				randomBox(next, 20_000, 1500),
			)
			// A few boxes far wider than a cell, as a person's huge frame would be.
			if (seed % 7 === 0) boxes.push({ x: -1e6, y: 0, w: 2e6, h: 50 })
			const grid = new BoxGrid(boxes, (b) => b, 1024)
			for (let q = 0; q < 50; q++) {
				const box = randomBox(next, 24_000, 900)
				const pad = [0, 220, 660, 5000, 1e9][q % 5]
				const near = (b: Box) => gap(box, b) < pad
				expect(grid.some(box, pad, near), `seed ${seed}, query ${q}`).toBe(boxes.some(near))
			}
		}
	})

	it('looks only at the cells around the query on a large board', () => {
		const boxes = Array.from({ length: 2000 }, (_, i) => ({
			x: (i % 45) * 700,
			y: Math.floor(i / 45) * 700,
			w: 520,
			h: 560,
		}))
		let looked = 0
		const grid = new BoxGrid(boxes, (b) => b, 1024)
		grid.some({ x: 10_000, y: 10_000, w: 520, h: 560 }, 220, () => {
			looked++
			return false
		})
		expect(looked).toBeGreaterThan(0)
		expect(looked).toBeLessThan(40)
	})
})
