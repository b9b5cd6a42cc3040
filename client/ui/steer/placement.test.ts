import { describe, expect, it } from 'vitest'
import { explorePrice, placeBar, placeMenu } from './placement'

const screen = { w: 1000, h: 800 }
const size = { w: 400, h: 40 }
const insets = { top: 16, right: 16, bottom: 190, left: 16 }
const place = (
	node: { x: number; y: number; w: number; h: number },
	others = [] as (typeof node)[],
) => placeBar({ node, screen, size, insets, others })

describe('placeBar', () => {
	it('centres the bar under the node when there is room above the prompt bar', () => {
		expect(place({ x: 300, y: 100, w: 200, h: 200 })).toEqual({
			left: 200,
			top: 312,
			side: 'below',
		})
	})

	it('goes above a node that reaches down to the prompt bar, and docks when neither fits', () => {
		expect(place({ x: 300, y: 300, w: 200, h: 300 })).toMatchObject({ side: 'above', top: 248 })
		expect(place({ x: 300, y: 20, w: 200, h: 700 })).toMatchObject({ side: 'docked' })
	})

	it('leaves a new result beside the node uncovered', () => {
		const node = { x: 100, y: 100, w: 200, h: 200 }
		const result = { x: 380, y: 200, w: 200, h: 200 }
		const at = place(node, [result])!
		const bar = { x: at.left, y: at.top, w: size.w, h: size.h }
		const overlaps = (a: typeof bar, b: typeof bar) =>
			a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
		expect(overlaps(bar, node)).toBe(false)
		expect(overlaps(bar, result)).toBe(false)
	})

	it('stays inside the viewport, and hides while the node is off screen', () => {
		expect(place({ x: -150, y: 100, w: 200, h: 200 })?.left).toBe(8)
		expect(place({ x: 1200, y: 100, w: 200, h: 200 })).toBeNull()
	})
})

describe('explorePrice', () => {
	const parent = { width: 512, height: 512 }
	it('prices an exploration op like the server does', () => {
		expect(
			explorePrice(
				{ op: 'vary', parentImageId: 'img_abcdef', params: { strength: 'subtle' } },
				parent,
			),
		).toBe(4)
		expect(
			explorePrice(
				{ op: 'pan', parentImageId: 'img_abcdef', params: { direction: 'left' } },
				parent,
			),
		).toBe(6)
	})

	it('has no price for a pan the op refuses', () => {
		const thin = { width: 2048, height: 512 }
		expect(
			explorePrice({ op: 'pan', parentImageId: 'img_abcdef', params: { direction: 'left' } }, thin),
		).toBeNull()
	})
})

describe('placeMenu', () => {
	const bounds = { x: 0, y: 0, w: 1400, h: 850 }
	const panel = { w: 340, h: 300 }
	it('opens below a bar that sits under the node it upscales', () => {
		const node = { x: 100, y: 100, w: 420, h: 420 }
		const bar = { x: 20, y: 540, w: 700, h: 44 }
		const trigger = { x: 600, y: 544, w: 100, h: 36 }
		const at = placeMenu({ trigger, bar, panel, bounds: { ...bounds, h: 1000 }, node, others: [] })
		expect(at.y).toBeGreaterThan(bar.y)
	})

	it('opens beside the bar when neither above nor below is free', () => {
		const node = { x: 100, y: 100, w: 420, h: 420 }
		const bar = { x: 20, y: 540, w: 700, h: 44 }
		const trigger = { x: 600, y: 544, w: 100, h: 36 }
		const at = placeMenu({ trigger, bar, panel, bounds: { ...bounds, h: 700 }, node, others: [] })
		expect(at.x).toBeGreaterThanOrEqual(bar.x + bar.w)
	})

	it('opens beside a node that fills the canvas above the bar, not over it', () => {
		const node = { x: 500, y: 180, w: 420, h: 450 }
		const bar = { x: 80, y: 660, w: 990, h: 44 }
		const trigger = { x: 960, y: 664, w: 100, h: 36 }
		const canvas = { x: 0, y: 50, w: 1080, h: 850 }
		const at = placeMenu({ trigger, bar, panel, bounds: canvas, node, others: [] })
		const menu = { x: at.x, y: at.y, w: panel.w, h: panel.h }
		const overlaps =
			menu.x < node.x + node.w &&
			node.x < menu.x + menu.w &&
			menu.y < node.y + node.h &&
			node.y < menu.y + menu.h
		expect(overlaps).toBe(false)
	})
})
