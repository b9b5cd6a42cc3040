import { describe, expect, it } from 'vitest'
import { createBackend } from './index'

describe('createBackend', () => {
	it('returns the built-in painter for "builtin"', () => {
		expect(createBackend('builtin', {}).info.backend).toBe('builtin')
	})

	it('applies ARBOR_BUILTIN_DELAY_MS as an abortable delay', async () => {
		const backend = createBackend('builtin', { ARBOR_BUILTIN_DELAY_MS: '60000' })
		const controller = new AbortController()
		const run = backend.generate(
			{
				op: 'imagine',
				prompt: 'x',
				negativePrompt: null,
				params: {},
				seeds: [1],
				width: 8,
				height: 8,
				parentPng: null,
			},
			{ signal: controller.signal, onProgress: () => {} },
		)
		setTimeout(() => controller.abort(), 20)
		await expect(run).rejects.toMatchObject({ name: 'AbortError' })
	})

	it('fails at start-up naming the setting for an unknown backend or a bad delay', () => {
		expect(() => createBackend('comfy', {})).toThrow(/ARBOR_BACKEND "comfy".*builtin/)
		expect(() => createBackend('builtin', { ARBOR_BUILTIN_DELAY_MS: 'soon' })).toThrow(
			/ARBOR_BUILTIN_DELAY_MS/,
		)
	})
})
