import { describe, expect, it } from 'vitest'
import { type JobCreate, OP_NAMES, OPS } from './catalogue'
import { priceOf } from './pricing'

const parentImageId = 'img_abcdef'
const square = { width: 512, height: 512 }

describe('priceOf', () => {
	it.each([
		[
			{ op: 'imagine', prompt: 'x', params: { aspectRatio: '16:9', chaos: 0, stylize: 100 } },
			null,
			4,
		],
		[{ op: 'reroll', parentJobId: 'job_abcdef' }, { width: 624, height: 416 }, 4],
		[{ op: 'vary', parentImageId, params: { strength: 'strong' } }, square, 4],
		[{ op: 'remix', parentImageId, prompt: 'y', params: {} }, square, 4],
		[{ op: 'zoom_out', parentImageId, params: { factor: 2 } }, square, 4],
		[{ op: 'pan', parentImageId, params: { direction: 'up' } }, square, 6],
		[{ op: 'upscale', parentImageId, params: { mode: 'subtle', factor: 2 } }, square, 8],
		[{ op: 'upscale', parentImageId, params: { mode: 'subtle', factor: 4 } }, square, 32],
		[{ op: 'upscale', parentImageId, params: { mode: 'creative', factor: 2 } }, square, 12],
		[{ op: 'upscale', parentImageId, params: { mode: 'creative', factor: 4 } }, square, 48],
		// A 768×512 pan result costs 1.5× a square one to upscale.
		[
			{ op: 'upscale', parentImageId, params: { mode: 'subtle', factor: 2 } },
			{ width: 768, height: 512 },
			12,
		],
	] as const)('%j on %j costs %i', (request, parent, price) => {
		expect(priceOf(request as JobCreate, parent)).toBe(price)
	})

	it("lists each op's price for a 512² parent with default params as its catalogue cost", () => {
		const defaults: Record<string, JobCreate> = {
			imagine: {
				op: 'imagine',
				prompt: 'x',
				params: { aspectRatio: '1:1', chaos: 0, stylize: 100 },
			},
			reroll: { op: 'reroll', parentJobId: 'job_abcdef' },
			vary: { op: 'vary', parentImageId, params: { strength: 'subtle' } },
			remix: { op: 'remix', parentImageId, prompt: 'x', params: {} },
			zoom_out: { op: 'zoom_out', parentImageId, params: { factor: 1.5 } },
			pan: { op: 'pan', parentImageId, params: { direction: 'left' } },
			upscale: { op: 'upscale', parentImageId, params: { mode: 'subtle', factor: 2 } },
		}
		for (const op of OP_NAMES) expect(priceOf(defaults[op], square), op).toBe(OPS[op].cost)
	})

	it('needs the parent size for a parent op', () => {
		expect(() => priceOf({ op: 'pan', parentImageId, params: { direction: 'up' } })).toThrow(
			/parent/,
		)
	})
})
