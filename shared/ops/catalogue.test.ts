import { describe, expect, it } from 'vitest'
import { JobCreateSchema, OP_NAMES, OPS } from './catalogue'

const parentImageId = 'img_abcdef'

describe('JobCreateSchema', () => {
	it.each([
		[{ op: 'reroll', parentJobId: 'job_abcdef' }],
		[{ op: 'remix', parentImageId, prompt: ' edited prompt ' }],
		[{ op: 'remix', parentImageId, prompt: 'x', params: { negativePrompt: 'fog' } }],
		[{ op: 'zoom_out', parentImageId, params: { factor: 1.5 } }],
		[{ op: 'pan', parentImageId, params: { direction: 'down' } }],
		[{ op: 'upscale', parentImageId, params: { mode: 'creative', factor: 4 } }],
	])('accepts %j', (body) => {
		expect(JobCreateSchema.safeParse(body).success).toBe(true)
	})

	it.each([
		[{ op: 'reroll', parentImageId }],
		[{ op: 'remix', parentImageId }],
		[{ op: 'remix', parentImageId, prompt: '   ' }],
		[{ op: 'zoom_out', parentImageId, params: { factor: 3 } }],
		[{ op: 'pan', parentImageId, params: { direction: 'north' } }],
		[{ op: 'upscale', parentImageId, params: { mode: 'subtle', factor: 3 } }],
		[{ op: 'upscale', parentImageId, params: { mode: 'subtle' } }],
		[{ op: 'upscale', parentImageId, params: { mode: 'subtle', factor: 2 }, extra: 1 }],
		[{ op: 'outpaint', parentImageId }],
	])('rejects %j', (body) => {
		expect(JobCreateSchema.safeParse(body).success).toBe(false)
	})

	it('fills remix params and trims its prompt', () => {
		expect(JobCreateSchema.parse({ op: 'remix', parentImageId, prompt: ' a b ' })).toEqual({
			op: 'remix',
			parentImageId,
			prompt: 'a b',
			params: {},
		})
	})
})

describe('OPS', () => {
	it('names every op after its key; only upscale commits and yields one image', () => {
		for (const name of OP_NAMES) expect(OPS[name].name).toBe(name)
		expect(OP_NAMES.filter((n) => OPS[n].loop === 'commit')).toEqual(['upscale'])
		expect(OP_NAMES.filter((n) => OPS[n].yields === 'single')).toEqual(['upscale'])
	})

	it('keeps imagine and vary at version 1: their behaviour has not changed', () => {
		expect([OPS.imagine.version, OPS.vary.version]).toEqual([1, 1])
	})
})
