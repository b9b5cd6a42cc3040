import { describe, expect, it } from 'vitest'
import {
	draftDimensionsFor,
	MAX_UPSCALE_EDGE,
	OpInputError,
	outputDimensions,
	parentPlacement,
} from './geometry'
import { ASPECT_RATIOS, dimensionsFor } from './params'

const square = { width: 512, height: 512 }

describe('outputDimensions', () => {
	it.each([
		['imagine', { aspectRatio: '3:2' }, null, { width: 624, height: 416 }],
		['reroll', { aspectRatio: '3:2' }, { width: 624, height: 416 }, { width: 624, height: 416 }],
		['reroll', { aspectRatio: '16:9' }, null, { width: 680, height: 384 }],
		['vary', { strength: 'subtle' }, square, square],
		['remix', {}, { width: 2048, height: 1365 }, { width: 624, height: 416 }],
		['zoom_out', { factor: 2 }, square, square],
		['pan', { direction: 'left' }, square, { width: 768, height: 512 }],
		['pan', { direction: 'right' }, square, { width: 768, height: 512 }],
		['pan', { direction: 'up' }, square, { width: 512, height: 768 }],
		['pan', { direction: 'down' }, { width: 624, height: 416 }, { width: 624, height: 624 }],
		// A second pan the same way would pass 2 drafts of pixels: it scales down to fit.
		['pan', { direction: 'left' }, { width: 768, height: 512 }, { width: 1088, height: 480 }],
		// A tiny upload grows to about one draft.
		['pan', { direction: 'up' }, { width: 90, height: 90 }, { width: 416, height: 624 }],
		['upscale', { mode: 'subtle', factor: 2 }, square, { width: 1024, height: 1024 }],
		[
			'upscale',
			{ mode: 'creative', factor: 4 },
			{ width: 768, height: 512 },
			{ width: 3072, height: 2048 },
		],
		[
			'upscale',
			{ mode: 'subtle', factor: 4 },
			{ width: 1500, height: 1000 },
			{ width: 4096, height: 2728 },
		],
	] as const)('%s %j of %j → %j', (op, params, parent, expected) => {
		const out = outputDimensions(op, params, parent)
		expect(out).toEqual(expected)
		if (op !== 'upscale') expect([out.width % 8, out.height % 8]).toEqual([0, 0])
	})

	it('keeps every upscale within MAX_UPSCALE_EDGE and an exact multiple of its factor', () => {
		for (const factor of [2, 4] as const) {
			const out = outputDimensions(
				'upscale',
				{ mode: 'subtle', factor },
				{ width: 3000, height: 1999 },
			)
			expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(MAX_UPSCALE_EDGE)
			expect([out.width % factor, out.height % factor]).toEqual([0, 0])
		}
	})

	it('refuses a parent op without the parent, bad params, or a pan past 1:4', () => {
		const fail = (f: () => unknown) => {
			try {
				f()
			} catch (err) {
				return err instanceof OpInputError ? err.code : err
			}
			return 'no error'
		}
		expect(fail(() => outputDimensions('vary', { strength: 'subtle' }, null))).toBe(
			'parent_required',
		)
		expect(fail(() => outputDimensions('zoom_out', { factor: 3 }, square))).toBe('invalid_params')
		expect(
			fail(() => outputDimensions('pan', { direction: 'left' }, { width: 1024, height: 320 })),
		).toBe('aspect_too_extreme')
	})
})

describe('draftDimensionsFor', () => {
	it('maps every aspect ratio draft to itself, so existing drafts keep their size', () => {
		for (const ratio of ASPECT_RATIOS)
			expect(draftDimensionsFor(dimensionsFor(ratio))).toEqual(dimensionsFor(ratio))
	})
})

describe('parentPlacement', () => {
	it('centres the parent at 1/factor for zoom_out', () => {
		expect(parentPlacement('zoom_out', { factor: 2 }, square, square)).toEqual({
			x: 128,
			y: 128,
			width: 256,
			height: 256,
		})
		expect(parentPlacement('zoom_out', { factor: 1.5 }, square, square)).toEqual({
			x: 85,
			y: 85,
			width: 341,
			height: 341,
		})
	})

	it('pins the parent opposite the pan direction, at its own scale', () => {
		const wide = { width: 768, height: 512 }
		const tall = { width: 512, height: 768 }
		expect(parentPlacement('pan', { direction: 'left' }, square, wide)).toEqual({
			x: 256,
			y: 0,
			width: 512,
			height: 512,
		})
		expect(parentPlacement('pan', { direction: 'right' }, square, wide)).toEqual({
			x: 0,
			y: 0,
			width: 512,
			height: 512,
		})
		expect(parentPlacement('pan', { direction: 'up' }, square, tall)).toEqual({
			x: 0,
			y: 256,
			width: 512,
			height: 512,
		})
		expect(parentPlacement('pan', { direction: 'down' }, square, tall)).toEqual({
			x: 0,
			y: 0,
			width: 512,
			height: 512,
		})
	})

	it('covers the whole frame for the other ops', () => {
		expect(parentPlacement('remix', {}, square, square)).toEqual({ x: 0, y: 0, ...square })
	})
})
