import { describe, expect, it } from 'vitest'
import { isAbortError } from '../errors'
import { toGenerateRequest } from '../request'
import { edges, generate, mean, request, testBackend } from './testBackend'
import { meanAbsDiff, psnr, resizeRgb } from './testPixels'

describe('builtin backend: upscale', () => {
	it.each([
		[2, 'neon city at night'],
		[4, 'neon city at night'],
		[2, 'sunset over the ocean'],
		[4, 'misty pine forest'],
	] as const)(
		'subtle and creative %i× of "%s": exact size, downscales back to the parent',
		async (factor, prompt) => {
			const [parent] = await generate({ prompt, seeds: [3], width: 96, height: 64 })
			const size = { width: 96 * factor, height: 64 * factor }
			const run = (mode: string) =>
				generate({
					op: 'upscale',
					params: { mode, factor },
					parentPng: parent.png,
					seeds: [5],
					...size,
				})
			const [[subtle], [creative]] = [await run('subtle'), await run('creative')]
			for (const out of [subtle, creative]) {
				expect([out.width, out.height, out.raw.width, out.raw.height]).toEqual([
					size.width,
					size.height,
					size.width,
					size.height,
				])
				expect(
					psnr(await resizeRgb(out.raw.data, out.raw, parent.raw), parent.raw.data),
				).toBeGreaterThanOrEqual(30)
			}
			expect(subtle.record.model).toBe(`esrgan-slim-x${factor}@1.0.0`)
			expect(creative.record.model).toMatch(/\+arbor-latent-painter-detail$/)
			// Creative adds texture finer than a source pixel: visibly different, more edge energy.
			expect(meanAbsDiff(creative.raw.data, subtle.raw.data)).toBeGreaterThan(1.5)
			expect(mean([...edges(creative.raw)])).toBeGreaterThan(mean([...edges(subtle.raw)]))
		},
	)

	it('stops promptly when cancelled mid-upscale', async () => {
		const [parent] = await generate({ seeds: [3], width: 256, height: 256 })
		const controller = new AbortController()
		let at = 0
		const run = testBackend.generate(
			await toGenerateRequest(
				request({
					op: 'upscale',
					params: { mode: 'subtle', factor: 2 },
					parentPng: parent.png,
					seeds: [1],
					width: 512,
					height: 512,
				}),
			),
			{
				signal: controller.signal,
				onProgress: (f) => {
					if (f > 0.2 && !at) {
						at = performance.now()
						controller.abort()
					}
				},
			},
		)
		await expect(run).rejects.toSatisfy(isAbortError)
		expect(performance.now() - at).toBeLessThan(1500)
	})
})
