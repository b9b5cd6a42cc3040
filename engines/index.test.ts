import { describe, expect, it } from 'vitest'
import { createEngine } from './index'

describe('createEngine', () => {
	it('returns the built-in painter for "builtin"', () => {
		expect(createEngine('builtin', {}).info.backend).toBe('builtin')
	})

	it('applies ARBOR_BUILTIN_DELAY_MS as an abortable delay', async () => {
		const backend = createEngine('builtin', { ARBOR_BUILTIN_DELAY_MS: '60000' })
		const controller = new AbortController()
		const run = backend.generate(
			{
				op: 'imagine',
				prompt: 'x',
				negativePrompt: null,
				params: { aspectRatio: null, chaos: 0, stylize: 100 },
				seeds: [1],
				width: 8,
				height: 8,
				model: null,
			},
			{ signal: controller.signal, onProgress: () => {} },
		)
		setTimeout(() => controller.abort(), 20)
		await expect(run).rejects.toMatchObject({ name: 'AbortError' })
	})

	it('fails at start-up naming the setting for an unknown backend or a bad delay', () => {
		expect(() => createEngine('comfy', {})).toThrow(/ARBOR_BACKEND "comfy".*builtin/)
		expect(() => createEngine('builtin', { ARBOR_BUILTIN_DELAY_MS: 'soon' })).toThrow(
			/ARBOR_BUILTIN_DELAY_MS/,
		)
	})
})
