import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { outputDimensions } from '../../shared/ops/geometry'
import { EngineRefusedError, EngineUnavailableError } from '../errors'
import { type GenerateInput, toGenerateRequest } from '../request'
import { createOpenAIEngine } from './openaiEngine'
import { type FakeOpenAI, startFakeOpenAI } from './testing/fakeOpenAI'

const KEY = 'sk-test-0123456789abcdefSECRET'
let fake: FakeOpenAI | undefined

afterEach(async () => {
	await fake?.close()
	fake = undefined
})

const input = (over: Partial<GenerateInput> = {}): GenerateInput => ({
	op: 'imagine',
	prompt: 'a red fox in snow',
	negativePrompt: null,
	params: { chaos: 0, stylize: 100 },
	seeds: [1, 2, 3, 4],
	width: 512,
	height: 344,
	parentPng: null,
	...over,
})

async function run(over: Partial<GenerateInput> = {}, apiKey = KEY) {
	const engine = createOpenAIEngine({ baseURL: `${fake!.url}/v1`, apiKey, model: 'gpt-image-1' })
	return engine.generate(await toGenerateRequest(input(over)), {
		signal: new AbortController().signal,
		onProgress: () => {},
	})
}

describe('OpenAI-style engine', () => {
	it('imagines with one generations call (n = 4) at the nearest size, fitted to Arbor size, seeds null, usage recorded', async () => {
		fake = await startFakeOpenAI({ apiKey: KEY })
		const images = await run()
		expect(images).toHaveLength(4)
		const meta = await sharp(images[0].png).metadata()
		expect([meta.width, meta.height]).toEqual([512, 344])
		expect(images[0].record).toMatchObject({
			engine: 'openai',
			model: 'gpt-image-1',
			seed: null,
			extras: { seedsHonoured: false, engineSize: '1536x1024' },
		})
		expect(images[0].record.extras.totalTokens).toBeGreaterThan(0)
		const calls = fake.requests.filter((r) => r.path === '/v1/images/generations')
		expect(calls).toHaveLength(1)
		expect(calls[0].fields).toMatchObject({ n: 4, size: '1536x1024', model: 'gpt-image-1' })
		expect(calls[0].authorization).toBe(`Bearer ${KEY}`)
	})

	/** A 256² parent: left half red, right half blue, so a stretched or moved parent shows. */
	const halves = async () =>
		new Uint8Array(
			await sharp({
				create: { width: 256, height: 256, channels: 3, background: '#ff0000' },
			})
				.composite([
					{
						input: {
							create: { width: 128, height: 256, channels: 3, background: '#0000ff' },
						},
						left: 128,
						top: 0,
					},
				])
				.png()
				.toBuffer(),
		)
	const rgbaAt = async (png: Uint8Array, x: number, y: number) => {
		const { data, info } = await sharp(png)
			.ensureAlpha()
			.raw()
			.toBuffer({ resolveWithObject: true })
		const at = (y * info.width + x) * 4
		return [...data.subarray(at, at + 4)]
	}
	const near = (got: number[], want: number[]) =>
		got.slice(0, want.length).every((v, i) => Math.abs(v - want[i]) <= 24)

	it('zooms out through an edit of the padded parent with an alpha mask: the centre stays the parent', async () => {
		fake = await startFakeOpenAI({ apiKey: KEY })
		const images = await run({
			op: 'zoom_out',
			params: { factor: 2 },
			parentPng: await halves(),
			width: 256,
			height: 256,
		})
		const edit = fake.requests.find((r) => r.path === '/v1/images/edits')!
		expect(edit.fields).toMatchObject({ mask: { type: 'image/png' }, size: '1024x1024' })
		// What was sent: the parent in the middle half, opaque; transparent padding around it
		// (OpenAI repaints exactly the transparent pixels of the mask).
		const [sent] = edit.files['image[]']
		const [mask] = edit.files.mask
		expect(await rgbaAt(sent, 320, 512)).toEqual([255, 0, 0, 255])
		expect(await rgbaAt(sent, 700, 512)).toEqual([0, 0, 255, 255])
		expect((await rgbaAt(mask, 512, 512))[3]).toBe(255)
		for (const [x, y] of [
			[10, 10],
			[1013, 512],
			[512, 1013],
			[255, 512],
		])
			expect((await rgbaAt(mask, x, y))[3]).toBe(0)
		// What came back, at Arbor's size: the parent's own pixels in the centre, new paint around.
		expect(images[0]).toMatchObject({ width: 256, height: 256 })
		const out = images[0].png
		expect(near(await rgbaAt(out, 80, 128), [255, 0, 0])).toBe(true)
		expect(near(await rgbaAt(out, 176, 128), [0, 0, 255])).toBe(true)
		const padding = await Promise.all(
			[
				[8, 8],
				[128, 20],
				[240, 240],
				[20, 200],
			].map(([x, y]) => rgbaAt(out, x, y)),
		)
		expect(padding.some((p) => !near(p, [255, 0, 0]) && !near(p, [0, 0, 255]))).toBe(true)
		expect(padding.every((p) => p[3] === 255)).toBe(true)
	})

	it('pans through the same padded edit: the parent kept on the side it came from', async () => {
		fake = await startFakeOpenAI({ apiKey: KEY })
		const output = outputDimensions('pan', { direction: 'right' }, { width: 256, height: 256 })
		const images = await run({
			op: 'pan',
			params: { direction: 'right' },
			parentPng: await halves(),
			...output,
		})
		const edit = fake.requests.find((r) => r.path === '/v1/images/edits')!
		const [mask] = edit.files.mask
		const maskMeta = await sharp(mask).metadata()
		// The parent's left edge stays at the left; the right end is the new ground.
		expect((await rgbaAt(mask, 5, maskMeta.height! / 2))[3]).toBe(255)
		expect((await rgbaAt(mask, maskMeta.width! - 5, maskMeta.height! / 2))[3]).toBe(0)
		expect(images[0]).toMatchObject(output)
		expect(near(await rgbaAt(images[0].png, 4, output.height / 2), [255, 0, 0])).toBe(true)
	})

	it('never retries a content-policy refusal: refused as policy, billed nothing, sent once', async () => {
		fake = await startFakeOpenAI({ apiKey: KEY, refuse: /forbidden/ })
		const err = await run({ prompt: 'something forbidden' }).catch((e: unknown) => e)
		expect(err).toBeInstanceOf(EngineRefusedError)
		expect(err).toMatchObject({ kind: 'policy', status: 400 })
		expect((err as Error).message).toMatch(/safety system/)
		expect(fake.requests.filter((r) => r.path.startsWith('/v1/images'))).toHaveLength(1)
	})

	it('treats 429 and 5xx as retryable, once each (the SDK does not retry behind Arbor)', async () => {
		fake = await startFakeOpenAI({ apiKey: KEY })
		fake.failNext(429)
		expect(await run().catch((e: unknown) => e)).toBeInstanceOf(EngineUnavailableError)
		fake.failNext(500)
		expect(await run().catch((e: unknown) => e)).toBeInstanceOf(EngineUnavailableError)
		expect(fake.requests).toHaveLength(2)
	})

	it('keeps the key out of every record and error', async () => {
		fake = await startFakeOpenAI({ apiKey: KEY })
		const images = await run()
		expect(JSON.stringify(images.map((i) => i.record))).not.toContain('SECRET')
		const wrongKey = `${KEY}-wrong`
		const err = await run({}, wrongKey).catch((e: unknown) => e)
		expect(err).toBeInstanceOf(EngineRefusedError)
		expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain('SECRET')
	})
})
