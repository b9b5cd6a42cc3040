import { describe, expect, it } from 'vitest'
import { cuePosition, cueSpot, cueText, landedResults } from './newResults'

describe('landedResults', () => {
	it('names nodes that turned done, and done ones that just arrived, not those done before', () => {
		const before = new Map([
			['a', 'running'],
			['b', 'done'],
			['c', 'queued'],
		] as const)
		const after = [
			{ id: 'a', status: 'done' },
			{ id: 'b', status: 'done' },
			{ id: 'c', status: 'running' },
			{ id: 'd', status: 'done' },
		] as const
		expect(landedResults(before, after)).toEqual(['a', 'd'])
	})
})

describe('cueText', () => {
	it('names the asker of one result and counts several', () => {
		expect(cueText(1, { id: 'u2', name: 'Bob' }, 'u1')).toBe('New result from Bob')
		expect(cueText(1, { id: 'u1', name: 'Alice' }, 'u1')).toBe('Your new result')
		expect(cueText(3, { id: 'u2', name: 'Bob' }, 'u1')).toBe('3 new results')
	})
})

describe('cuePosition', () => {
	const safe = { x: 0, y: 0, w: 1000, h: 600 }
	const size = { w: 200, h: 40 }
	it('sits on the edge toward a result off to the right, pointing at it', () => {
		const at = cuePosition(safe, { x: 3000, y: 300 }, size)
		expect(at.left + size.w).toBe(1000)
		expect(at.top).toBe(280)
		expect(at.angle).toBeCloseTo(0)
	})

	it('sits on the top edge for a result far above, inside the safe area', () => {
		const at = cuePosition(safe, { x: 500, y: -5000 }, size)
		expect(at.top).toBe(0)
		expect(at.angle).toBeCloseTo(-Math.PI / 2)
	})
})

describe('cueSpot', () => {
	const safe = { x: 0, y: 0, w: 1000, h: 600 }
	const size = { w: 200, h: 40 }
	it('slides along the edge off a node it would cover, still pointing at the result', () => {
		const node = { x: 380, y: 500, w: 240, h: 200 }
		const at = cueSpot(safe, { x: 500, y: 5000 }, size, [node])
		expect(at.top).toBe(560)
		const cue = { x: at.left, y: at.top, w: size.w, h: size.h }
		expect(cue.x + cue.w <= node.x || cue.x >= node.x + node.w).toBe(true)
		expect(at.angle).toBeGreaterThan(0)
	})
})
