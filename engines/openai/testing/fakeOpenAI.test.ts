import OpenAI, { toFile } from 'openai'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from './fakeOpenAI'

let fake: FakeOpenAI | undefined

afterEach(async () => {
	await fake?.close()
	fake = undefined
})

const client = (apiKey = 'sk-test') =>
	new OpenAI({ apiKey, baseURL: `${fake!.url}/v1`, maxRetries: 0 })

describe('fake OpenAI Images API', () => {
	it('answers generations with n PNGs of the asked size and token usage', async () => {
		fake = await startFakeOpenAI({ apiKey: 'sk-test' })
		const answer = await client().images.generate({
			model: 'gpt-image-1',
			prompt: 'a red fox',
			n: 2,
			size: '1536x1024',
		})
		expect(answer.data).toHaveLength(2)
		const png = Buffer.from(answer.data![0].b64_json!, 'base64')
		expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 1536, height: 1024 })
		expect(answer.usage?.output_tokens).toBeGreaterThan(0)
		expect(fake.billed()).toBe(1)
	})

	it('takes a multipart edit with an alpha mask and keeps the opaque part', async () => {
		fake = await startFakeOpenAI({ apiKey: 'sk-test' })
		const image = await sharp({
			create: { width: 1024, height: 1024, channels: 3, background: { r: 0, g: 0, b: 255 } },
		})
			.png()
			.toBuffer()
		// Opaque left half (kept), transparent right half (repainted).
		const alpha = Buffer.alloc(1024 * 1024 * 4)
		for (let p = 0; p < 1024 * 1024; p++) alpha[p * 4 + 3] = p % 1024 < 512 ? 255 : 0
		const mask = await sharp(alpha, { raw: { width: 1024, height: 1024, channels: 4 } })
			.png()
			.toBuffer()
		const answer = await client().images.edit({
			model: 'gpt-image-1',
			prompt: 'a meadow',
			image: [await toFile(image, 'image.png', { type: 'image/png' })],
			mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
			size: '1024x1024',
		})
		const out = await sharp(Buffer.from(answer.data![0].b64_json!, 'base64')).raw().toBuffer()
		expect([out[0], out[1], out[2]]).toEqual([0, 0, 255])
		expect(fake.requests.at(-1)?.fields.mask).toMatchObject({ type: 'image/png' })
	})

	it('refuses a policy-violating prompt with 400 moderation_blocked and bills nothing', async () => {
		fake = await startFakeOpenAI({ apiKey: 'sk-test', refuse: /forbidden/ })
		const err = await client()
			.images.generate({ model: 'gpt-image-1', prompt: 'something forbidden' })
			.catch((e: unknown) => e)
		expect(err).toBeInstanceOf(OpenAI.BadRequestError)
		expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('moderation_blocked')
		expect(fake.billed()).toBe(0)
	})

	it('rejects a wrong key with 401, and answers 429 and 5xx when told to', async () => {
		fake = await startFakeOpenAI({ apiKey: 'sk-test' })
		const gen = (c: OpenAI) =>
			c.images.generate({ model: 'gpt-image-1', prompt: 'x' }).catch((e: unknown) => e)
		expect(await gen(client('sk-wrong'))).toBeInstanceOf(OpenAI.AuthenticationError)
		fake.failNext(429)
		expect(await gen(client())).toBeInstanceOf(OpenAI.RateLimitError)
		fake.failNext(500)
		expect(await gen(client())).toBeInstanceOf(OpenAI.InternalServerError)
	})
})
