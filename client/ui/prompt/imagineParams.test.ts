import { describe, expect, it } from 'vitest'
import { DEFAULT_FIELDS, imagineParamsFrom, paramsSummary } from './imagineParams'

describe('imagineParamsFrom', () => {
	it('sends the defaults as they are, with no seed and no negative prompt', () => {
		expect(imagineParamsFrom(DEFAULT_FIELDS)).toEqual({
			ok: true,
			params: { aspectRatio: '1:1', chaos: 0, stylize: 100 },
		})
	})

	it('sends a seed and a trimmed negative prompt when given', () => {
		const fields = { ...DEFAULT_FIELDS, seed: ' 42 ', negativePrompt: ' text, logos ', chaos: 40 }
		expect(imagineParamsFrom(fields)).toEqual({
			ok: true,
			params: {
				aspectRatio: '1:1',
				chaos: 40,
				stylize: 100,
				seed: 42,
				negativePrompt: 'text, logos',
			},
		})
	})

	it('refuses a seed that is not a whole number in range', () => {
		expect(imagineParamsFrom({ ...DEFAULT_FIELDS, seed: '4.5' })).toMatchObject({ ok: false })
		expect(imagineParamsFrom({ ...DEFAULT_FIELDS, seed: '99999999999' })).toMatchObject({
			ok: false,
			message: expect.stringMatching(/4294967295/),
		})
	})
})

describe('paramsSummary', () => {
	it('names only what differs from the defaults', () => {
		expect(paramsSummary(DEFAULT_FIELDS)).toEqual([])
		expect(
			paramsSummary({ ...DEFAULT_FIELDS, stylize: 250, seed: '7', negativePrompt: 'x' }),
		).toEqual(['stylize 250', 'seed 7', 'avoid'])
	})
})
