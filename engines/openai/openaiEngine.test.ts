import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
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

	it('zooms out through an edit of the padded parent with an alpha mask, at the nearest size', async () => {
		fake = await startFakeOpenAI({ apiKey: KEY })
		const parent = await sharp({
			create: { width: 256, height: 256, channels: 3, background: '#ff0000' },
		})
			.png()
			.toBuffer()
		const images = await run({
			op: 'zoom_out',
			params: { factor: 2 },
			parentPng: new Uint8Array(parent),
			width: 256,
			height: 256,
		})
		const edit = fake.requests.find((r) => r.path === '/v1/images/edits')!
		expect(edit.fields).toMatchObject({ mask: { type: 'image/png' }, size: '1024x1024' })
		expect(images[0]).toMatchObject({ width: 256, height: 256 })
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
