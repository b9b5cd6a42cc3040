import { describe, expect, it } from 'vitest'
import { insetsFrom, safeArea } from './insets'

const canvas = { x: 0, y: 50, w: 1000, h: 800 }

describe('insetsFrom', () => {
	it('charges each overlay to the edge it hugs', () => {
		const promptBar = { x: 200, y: 650, w: 600, h: 80 }
		const toolbar = { x: 320, y: 800, w: 400, h: 50 }
		const menu = { x: 0, y: 50, w: 210, h: 40 }
		const queue = { x: 8, y: 106, w: 300, h: 400 }
		expect(insetsFrom(canvas, [promptBar, toolbar, menu, queue], 10)).toEqual({
			top: 50,
			bottom: 210,
			left: 318,
			right: 10,
		})
	})

	it('ignores what lies outside the canvas (a side panel beside it)', () => {
		expect(insetsFrom(canvas, [{ x: 1000, y: 50, w: 360, h: 800 }], 10)).toEqual({
			top: 10,
			bottom: 10,
			left: 10,
			right: 10,
		})
	})
})

describe('safeArea', () => {
	it('never shrinks below a pixel', () => {
		expect(safeArea({ w: 100, h: 100 }, { top: 80, bottom: 80, left: 0, right: 0 }).h).toBe(1)
	})
})
