import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { readPngTextChunks } from '../../shared/provenance/pngText'
import { EngineRefusedError, EngineUnavailableError } from '../errors'
import { type GenerateInput, toGenerateRequest } from '../request'
import type { PreviewImage } from '../types'
import { createA1111Engine } from './a1111Engine'
import { type FakeA1111, startFakeA1111 } from './testing/fakeA1111'

let fake: FakeA1111 | undefined

afterEach(async () => {
	await fake?.close()
	fake = undefined
})

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, ms = 10_000) {
	const deadline = Date.now() + ms
	for (;;) {
		const value = await probe()
		if (value) return value
		if (Date.now() > deadline) throw new Error('condition not met in time')
		await new Promise((r) => setTimeout(r, 10))
	}
}

const input = (over: Partial<GenerateInput> = {}): GenerateInput => ({
	op: 'imagine',
	prompt: 'a lighthouse at dusk',
	negativePrompt: 'blurry',
	params: { chaos: 0, stylize: 100 },
	seeds: [1000, 1001, 1002, 1003],
	width: 260,
	height: 192,
	parentPng: null,
	...over,
})

async function run(
	over: Partial<GenerateInput> = {},
	extra: { signal?: AbortSignal; onPreview?: (p: PreviewImage) => void; auth?: string } = {},
) {
	const engine = createA1111Engine({ url: fake!.url, pollMs: 10, auth: extra.auth })
	const progress: number[] = []
	const images = await engine.generate(await toGenerateRequest(input(over)), {
		signal: extra.signal ?? new AbortController().signal,
		onProgress: (f) => progress.push(f),
		onPreview: extra.onPreview,
	})
	return { images, progress }
}

const bodies = (path: string) => fake!.requests.filter((r) => r.path === path).map((r) => r.body)

describe('A1111 engine', () => {
	it('imagines a batch of 4 from Arbor seed, at the exact size, with the engine record and its parameters chunk', async () => {
		fake = await startFakeA1111()
		const { images } = await run()
		expect(images.map((i) => [i.width, i.height])).toEqual(Array(4).fill([260, 192]))
		expect(images.map((i) => i.record.seed)).toEqual([1000, 1001, 1002, 1003])
		expect(images[0].record).toMatchObject({
			engine: 'a1111',
			model: 'v1-5-pruned-emaonly',
			modelHash: '6ce0161689',
			sampler: 'DPM++ 2M',
			steps: 25,
			cfg: 7,
		})
		const meta = await sharp(images[1].png).metadata()
		expect([meta.width, meta.height]).toEqual([260, 192])
		// The grid A1111 puts first is skipped: image 1 carries seed 1001's infotext.
		expect(
			readPngTextChunks(images[1].png).find((c) => c.keyword === 'parameters')?.text,
		).toContain('Seed: 1001')
		const [body] = bodies('/sdapi/v1/txt2img')
		expect(body).toMatchObject({
			seed: 1000,
			batch_size: 4,
			width: 264,
			height: 192,
			negative_prompt: 'blurry',
			override_settings: { sd_model_checkpoint: 'v1-5-pruned-emaonly.safetensors [6ce0161689]' },
		})
		expect(String(body.force_task_id)).toMatch(/^arbor-/)
	})

	it('runs the checkpoint asked for and refuses one A1111 does not have', async () => {
		fake = await startFakeA1111()
		const { images } = await run({ model: 'sdxl_base_1.0.safetensors [31e35c80fc]' })
		expect(images[0].record).toMatchObject({ model: 'sdxl_base_1.0', modelHash: '31e35c80fc' })
		await expect(run({ model: 'no-such-model' })).rejects.toBeInstanceOf(EngineRefusedError)
	})

	it('reports per-task progress and live previews while it samples', async () => {
		fake = await startFakeA1111()
		fake.hold()
		const previews: PreviewImage[] = []
		const job = run({}, { onPreview: (p) => previews.push(p) })
		await until(() => previews.length > 0)
		expect(previews[0].mime).toBe('image/jpeg')
		expect((await sharp(previews[0].bytes).metadata()).format).toBe('jpeg')
		fake.release()
		const { progress } = await job
		expect(progress.some((f) => f > 0 && f < 1)).toBe(true)
		expect(progress.at(-1)).toBe(1)
	})

	it("varies its own image natively (same seed, new subseed) and anyone else's through img2img", async () => {
		fake = await startFakeA1111()
		const { images } = await run()
		const parent = images[2]
		const vary = await run({
			op: 'vary',
			params: { strength: 'subtle' },
			parentPng: parent.png,
			seeds: [77, 78, 79, 80],
		})
		expect(bodies('/sdapi/v1/txt2img').at(-1)).toMatchObject({
			seed: 1002,
			subseed: 77,
			subseed_strength: 0.15,
		})
		expect(vary.images[0].record).toMatchObject({
			seed: 1002,
			extras: { subseed: 77, subseedStrength: 0.15 },
		})
		const plain = await sharp({
			create: { width: 256, height: 192, channels: 3, background: '#336699' },
		})
			.png()
			.toBuffer()
		await run({
			op: 'vary',
			params: { strength: 'strong' },
			parentPng: new Uint8Array(plain),
			width: 256,
			height: 192,
		})
		expect(bodies('/sdapi/v1/img2img').at(-1)).toMatchObject({
			denoising_strength: 0.7,
			batch_size: 4,
		})
	})

	it('zooms out through img2img with a padded init image and a mask, keeping the parent in the middle', async () => {
		fake = await startFakeA1111()
		const parent = await sharp({
			create: { width: 256, height: 256, channels: 3, background: '#ff0000' },
		})
			.png()
			.toBuffer()
		const { images } = await run({
			op: 'zoom_out',
			params: { factor: 2 },
			parentPng: new Uint8Array(parent),
			width: 256,
			height: 256,
		})
		const body = bodies('/sdapi/v1/img2img').at(-1)!
		expect(body.mask).toEqual(expect.any(String))
		expect(body.init_images).toHaveLength(1)
		const { data } = await sharp(images[0].png).raw().toBuffer({ resolveWithObject: true })
		const centre = (128 * 256 + 128) * 3
		expect([data[centre], data[centre + 1], data[centre + 2]]).toEqual([255, 0, 0])
	})

	it('upscales subtly through extra-single-image and creatively through img2img at the larger size', async () => {
		fake = await startFakeA1111()
		const parent = await sharp({
			create: { width: 128, height: 96, channels: 3, background: '#00ff00' },
		})
			.png()
			.toBuffer()
		const subtle = await run({
			op: 'upscale',
			params: { mode: 'subtle', factor: 2 },
			parentPng: new Uint8Array(parent),
			seeds: [5],
			width: 256,
			height: 192,
		})
		expect(bodies('/sdapi/v1/extra-single-image')[0]).toMatchObject({
			upscaling_resize: 2,
			upscaler_1: 'R-ESRGAN 4x+',
		})
		expect(subtle.images[0].record).toMatchObject({ model: 'R-ESRGAN 4x+', seed: null })
		const creative = await run({
			op: 'upscale',
			params: { mode: 'creative', factor: 2 },
			parentPng: new Uint8Array(parent),
			seeds: [5],
			width: 256,
			height: 192,
		})
		expect(bodies('/sdapi/v1/img2img').at(-1)).toMatchObject({
			width: 256,
			height: 192,
			batch_size: 1,
			denoising_strength: 0.3,
		})
		expect(creative.images[0]).toMatchObject({ width: 256, height: 192 })
	})

	it('interrupts its own running task on cancel', async () => {
		fake = await startFakeA1111()
		fake.hold()
		const controller = new AbortController()
		const job = run({}, { signal: controller.signal })
		const task = await until(() => fake!.currentTask() ?? undefined)
		controller.abort(new Error('cancelled'))
		await expect(job).rejects.toThrow('cancelled')
		await until(() => fake!.interrupts.length > 0)
		expect(fake.interrupts).toEqual([task])
	})

	it("never interrupts another client's task: a cancelled job queued behind it is interrupted once it starts", async () => {
		fake = await startFakeA1111()
		fake.hold()
		const theirs = fetch(`${fake.url}/sdapi/v1/txt2img`, {
			method: 'POST',
			body: JSON.stringify({ force_task_id: 'theirs', steps: 2 }),
		})
		await until(() => fake!.currentTask() === 'theirs')
		const controller = new AbortController()
		const job = run({}, { signal: controller.signal })
		await until(() => bodies('/sdapi/v1/txt2img').length === 2)
		controller.abort(new Error('cancelled'))
		await expect(job).rejects.toThrow('cancelled')
		// Still theirs: our watcher waits rather than interrupting it.
		await until(() => fake!.requests.filter((r) => r.path === '/internal/progress').length > 8)
		expect(fake.interrupts).toEqual([])
		fake.release()
		await theirs
		await until(() => fake!.interrupts.length > 0)
		expect(fake.interrupts).toEqual([expect.stringMatching(/^arbor-/)])
	})

	it('classifies failures: CUDA out of memory and 500 are retryable, bad auth is refused', async () => {
		fake = await startFakeA1111({ auth: 'ann:secret' })
		fake.failNext('oom')
		const oom = await run({}, { auth: 'ann:secret' }).catch((e: unknown) => e)
		expect(oom).toBeInstanceOf(EngineUnavailableError)
		expect((oom as EngineUnavailableError).kind).toBe('out_of_memory')
		fake.failNext('error')
		const error = await run({}, { auth: 'ann:secret' }).catch((e: unknown) => e)
		expect((error as EngineUnavailableError).kind).toBe('unavailable')
		await expect(run({}, { auth: 'ann:wrong' })).rejects.toBeInstanceOf(EngineRefusedError)
		const basic = `Basic ${Buffer.from('ann:secret').toString('base64')}`
		expect(
			fake.requests
				.filter((r) => r.path === '/sdapi/v1/txt2img')
				.every((r) => r.authorization === basic),
		).toBe(true)
	})

	it('sends one generation at a time to a URL, even from two engines', async () => {
		fake = await startFakeA1111()
		fake.hold()
		const a = run()
		const b = run()
		await until(() => fake!.currentTask())
		await new Promise((r) => setTimeout(r, 100))
		expect(bodies('/sdapi/v1/txt2img')).toHaveLength(1)
		fake.release()
		await Promise.all([a, b])
		expect(bodies('/sdapi/v1/txt2img')).toHaveLength(2)
	})
})
