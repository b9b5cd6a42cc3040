import { describe, expect, it } from 'vitest'
import { bestSpot } from './overlaySpots'

const bounds = { x: 0, y: 0, w: 1000, h: 800 }

describe('bestSpot', () => {
	it('keeps the first spot while it covers nothing', () => {
		const spots = [
			{ x: 0, y: 0, w: 100, h: 40 },
			{ x: 500, y: 0, w: 100, h: 40 },
		]
		expect(bestSpot(spots, bounds, [{ rect: { x: 600, y: 0, w: 10, h: 10 }, weight: 1 }])).toBe(0)
	})

	it('moves off a node, and prefers covering a light obstacle to a heavy one', () => {
		const spots = [
			{ x: 0, y: 0, w: 100, h: 40 },
			{ x: 200, y: 0, w: 100, h: 40 },
			{ x: 400, y: 0, w: 100, h: 40 },
		]
		const active = { rect: { x: 0, y: 0, w: 300, h: 40 }, weight: 100 }
		const other = { rect: { x: 390, y: 0, w: 20, h: 40 }, weight: 10 }
		expect(bestSpot(spots, bounds, [active, other])).toBe(2)
	})

	it('counts what falls outside the bounds', () => {
		const spots = [
			{ x: 950, y: 0, w: 100, h: 40 },
			{ x: 0, y: 0, w: 100, h: 40 },
		]
		expect(bestSpot(spots, bounds, [])).toBe(1)
	})
})
