import { describe, expect, it } from 'vitest'
import { EngineConfigSchema } from './config'
import { createEngine } from './index'

const configOf = (env: Record<string, string>) => EngineConfigSchema.parse(env)

describe('createEngine', () => {
	it('returns the built-in painter for "builtin"', () => {
		expect(createEngine(configOf({})).info.backend).toBe('builtin')
	})

	it('applies ARBOR_BUILTIN_DELAY_MS as an abortable delay', async () => {
		const backend = createEngine(configOf({ ARBOR_BUILTIN_DELAY_MS: '60000' }))
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
})

describe('EngineConfigSchema', () => {
	it.each([
		[{ ARBOR_BACKEND: 'comfy' }, /comfy.*builtin/],
		[{ ARBOR_BUILTIN_DELAY_MS: 'soon' }, /ARBOR_BUILTIN_DELAY_MS/],
		[{ ARBOR_BUILTIN_DELAY_MS: '-5' }, /ARBOR_BUILTIN_DELAY_MS/],
		[{ ARBOR_UPSCALE_RUNNER: 'gpu' }, /thread|inline/],
	])('refuses %o naming what is wrong', (env, message) => {
		const parsed = EngineConfigSchema.safeParse(env)
		expect(parsed.success).toBe(false)
		expect(parsed.error?.issues.map((i) => i.message).join(' ')).toMatch(message)
	})

	it('defaults to the builtin painter, no delay, the upscaler in a thread', () => {
		expect(configOf({})).toEqual({
			ARBOR_BACKEND: 'builtin',
			ARBOR_ENGINE_TIMEOUT_MS: 600_000,
			ARBOR_BUILTIN_DELAY_MS: 0,
			ARBOR_UPSCALE_RUNNER: 'thread',
		})
	})

	it('builds the A1111 engine from ARBOR_A1111_URL and refuses a missing or malformed setting', () => {
		const engine = createEngine(
			configOf({
				ARBOR_BACKEND: 'a1111',
				ARBOR_A1111_URL: 'http://gpu:7860',
				ARBOR_A1111_AUTH: 'a:b',
			}),
		)
		expect(engine.info.backend).toBe('a1111')
		expect(engine.capabilities.seeds).toBe(true)
		expect(() => createEngine(configOf({ ARBOR_BACKEND: 'a1111' }))).toThrow(/ARBOR_A1111_URL/)
		for (const env of [
			{ ARBOR_A1111_URL: 'gpu:7860' },
			{ ARBOR_A1111_URL: 'http://gpu:7860', ARBOR_A1111_AUTH: 'nopass' },
		]) {
			const parsed = EngineConfigSchema.safeParse({ ARBOR_BACKEND: 'a1111', ...env })
			expect(parsed.error?.issues[0].message).toMatch(/ARBOR_A1111_(URL|AUTH)/)
		}
	})
})
