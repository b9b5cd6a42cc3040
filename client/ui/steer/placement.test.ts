import { describe, expect, it } from 'vitest'
import { explorePrice, placeBar } from './placement'

const screen = { w: 1000, h: 800 }
const bar = { w: 400, h: 40 }

describe('placeBar', () => {
	it('centres the bar under the node when there is room above the prompt bar', () => {
		expect(placeBar({ x: 300, y: 100, w: 200, h: 200 }, screen, bar)).toEqual({
			left: 200,
			top: 312,
			side: 'below',
		})
	})

	it('goes above a node that reaches down to the prompt bar, and over it when neither fits', () => {
		expect(placeBar({ x: 300, y: 300, w: 200, h: 300 }, screen, bar)).toMatchObject({
			side: 'above',
			top: 248,
		})
		expect(placeBar({ x: 300, y: 20, w: 200, h: 700 }, screen, bar)).toMatchObject({
			side: 'over',
			top: 570,
		})
	})

	it('stays inside the viewport, and hides while the node is off screen', () => {
		expect(placeBar({ x: -150, y: 100, w: 200, h: 200 }, screen, bar)?.left).toBe(8)
		expect(placeBar({ x: 1200, y: 100, w: 200, h: 200 }, screen, bar)).toBeNull()
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
