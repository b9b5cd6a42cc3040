import { describe, expect, it } from 'vitest'
import { createBuiltinBackend } from '../builtin/builtinBackend'
import { decodePng, psnr, resizeRgb } from '../builtin/testPixels'
import { isAbortError } from '../errors'
import { backProject } from './backProject'
import { esrganUpscale } from './esrgan'
import { planTiles } from './tiles'

/** A painted test image (RGB) from the built-in painter. */
async function painted(width: number, height: number, prompt = 'neon city at night') {
	const backend = createBuiltinBackend()
	const [image] = await backend.generate(
		{
			op: 'imagine',
			prompt,
			negativePrompt: null,
			params: { aspectRatio: null, chaos: 0, stylize: 100 },
			seeds: [3],
			width,
			height,
			model: null,
		},
		{ signal: new AbortController().signal, onProgress: () => {} },
	)
	const raw = await decodePng(image.png)
	return { width, height, rgb: raw.data }
}

const signal = new AbortController().signal

describe('planTiles', () => {
	it.each([
		[512, 512, 96, 12],
		[97, 33, 32, 12],
		[10, 10, 96, 12],
		[1000, 7, 64, 5],
	])(
		'covers %i×%i exactly once with cores ≤ %i and clamped context',
		(width, height, core, pad) => {
			const covered = new Uint8Array(width * height)
			for (const t of planTiles(width, height, core, pad)) {
				expect(t.width).toBeLessThanOrEqual(core)
				expect(t.inX).toBe(Math.max(0, t.x - pad))
				expect(t.inX + t.inWidth).toBe(Math.min(width, t.x + t.width + pad))
				for (let y = t.y; y < t.y + t.height; y++)
					for (let x = t.x; x < t.x + t.width; x++) covered[y * width + x]++
			}
			expect(covered.every((c) => c === 1)).toBe(true)
		},
	)
})

describe('esrganUpscale', () => {
	it('upscales 2× and 4× to exact sizes; downscaled back it matches its input (PSNR ≥ 30 dB)', async () => {
		const image = await painted(96, 64, 'sunset over the ocean, mountains')
		for (const scale of [2, 4] as const) {
			const out = await esrganUpscale(image, scale, { signal })
			expect([out.width, out.height, out.rgb.length]).toEqual([
				96 * scale,
				64 * scale,
				96 * scale * 64 * scale * 3,
			])
			const back = await resizeRgb(out.rgb, out, image)
			expect(psnr(back, image.rgb), `×${scale}`).toBeGreaterThanOrEqual(30)
		}
	})

	it('with back-projection, downscales back to its source even where the network alone does not', async () => {
		// Pixel-thin neon grid lines: the network redraws them, so its raw output drifts.
		const image = await painted(96, 64)
		const raw = await esrganUpscale(image, 2, { signal })
		const before = psnr(await resizeRgb(raw.rgb, raw, image), image.rgb)
		const projected = await backProject(raw, image)
		const after = psnr(await resizeRgb(projected.rgb, projected, image), image.rgb)
		expect(before).toBeLessThan(30)
		expect(after).toBeGreaterThanOrEqual(30)
		expect(after).toBeGreaterThan(before + 4)
	})

	it('recovers detail better than lanczos resampling (it is a real neural upscaler)', async () => {
		const truth = await painted(192, 192)
		const small = await resizeRgb(truth.rgb, truth, { width: 96, height: 96 })
		const neural = await esrganUpscale({ width: 96, height: 96, rgb: small }, 2, { signal })
		const lanczos = await resizeRgb(small, { width: 96, height: 96 }, truth)
		expect(psnr(neural.rgb, truth.rgb)).toBeGreaterThan(psnr(lanczos, truth.rgb) + 0.3)
	})

	it('gives the same pixels tiled as in one piece (context covers the receptive field)', async () => {
		const image = await painted(80, 56)
		const whole = await esrganUpscale(image, 2, { signal, tileSize: 1000 })
		const tiled = await esrganUpscale(image, 2, { signal, tileSize: 24 })
		let worst = 0
		for (let i = 0; i < whole.rgb.length; i++)
			worst = Math.max(worst, Math.abs(whole.rgb[i] - tiled.rgb[i]))
		expect(worst).toBeLessThanOrEqual(1)
	})

	it('reports progress per tile and stops between tiles when aborted', async () => {
		const image = await painted(64, 64)
		const seen: number[] = []
		await esrganUpscale(image, 2, { signal, tileSize: 32, onProgress: (f) => seen.push(f) })
		expect(seen).toEqual([0.25, 0.5, 0.75, 1])

		const controller = new AbortController()
		let tiles = 0
		const run = esrganUpscale(image, 2, {
			signal: controller.signal,
			tileSize: 16,
			onProgress: () => {
				if (++tiles === 2) controller.abort()
			},
		})
		await expect(run).rejects.toSatisfy(isAbortError)
		expect(tiles).toBe(2)
	})

	it('leaves no process-wide error handlers behind after starting tfjs', async () => {
		const before = [
			process.listenerCount('uncaughtException'),
			process.listenerCount('unhandledRejection'),
		]
		// Inline starts tfjs on this thread; the thread path must not leak handlers here either.
		for (const runner of ['inline', 'thread'] as const)
			await esrganUpscale(await painted(16, 16), 4, { signal, runner })
		expect([
			process.listenerCount('uncaughtException'),
			process.listenerCount('unhandledRejection'),
		]).toEqual(before)
	})
})
