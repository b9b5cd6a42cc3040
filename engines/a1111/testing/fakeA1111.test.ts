import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { parseInfotext } from '../../../shared/provenance/infotext'
import { readPngTextChunks } from '../../../shared/provenance/pngText'
import { type FakeA1111, startFakeA1111 } from './fakeA1111'

let fake: FakeA1111 | undefined

afterEach(async () => {
	await fake?.close()
	fake = undefined
})

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
	const res = await fetch(`${fake!.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	})
	return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

async function until<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
	const deadline = Date.now() + ms
	for (;;) {
		const value = await probe()
		if (value !== undefined) return value
		if (Date.now() > deadline) throw new Error('condition not met in time')
		await new Promise((r) => setTimeout(r, 10))
	}
}

describe('fake A1111', () => {
	it('answers txt2img with a grid first, then one PNG per seed with its infotext', async () => {
		fake = await startFakeA1111()
		const { status, json } = await post('/sdapi/v1/txt2img', {
			prompt: 'a lighthouse',
			seed: 100,
			batch_size: 4,
			steps: 4,
			width: 260,
			height: 192,
		})
		expect(status).toBe(200)
		const info = JSON.parse(json.info as string)
		expect(info.index_of_first_image).toBe(1)
		expect(info.all_seeds).toEqual([100, 101, 102, 103])
		const images = json.images as string[]
		expect(images).toHaveLength(5)
		const png = Buffer.from(images[2], 'base64')
		// A1111 paints multiples of 8.
		expect(await sharp(png).metadata()).toMatchObject({ width: 256, height: 192 })
		const parameters = readPngTextChunks(png).find((c) => c.keyword === 'parameters')!
		expect(parseInfotext(parameters.text).params.Seed).toBe('101')
	})

	it('runs one generation at a time and reports the queued task as queued', async () => {
		fake = await startFakeA1111()
		fake.hold()
		const first = post('/sdapi/v1/txt2img', { force_task_id: 'one', steps: 3 })
		await until(async () => (fake!.currentTask() === 'one' ? true : undefined))
		const second = post('/sdapi/v1/txt2img', { force_task_id: 'two', steps: 3 })
		const queued = await until(async () => {
			const { json } = await post('/internal/progress', { id_task: 'two' })
			return json.queued ? json : undefined
		})
		expect(queued.active).toBe(false)
		const running = await until(async () => {
			const { json } = await post('/internal/progress', { id_task: 'one', id_live_preview: -1 })
			return json.live_preview ? json : undefined
		})
		expect(running.active).toBe(true)
		expect(String(running.live_preview)).toMatch(/^data:image\/jpeg;base64,/)
		fake.release()
		expect((await first).status).toBe(200)
		expect((await second).status).toBe(200)
		const { json } = await post('/internal/progress', { id_task: 'two' })
		expect(json.completed).toBe(true)
	})

	it('interrupts whatever runs, and still answers 200', async () => {
		fake = await startFakeA1111()
		fake.hold()
		const run = post('/sdapi/v1/txt2img', { force_task_id: 'theirs', steps: 3 })
		await until(async () => (fake!.currentTask() === 'theirs' ? true : undefined))
		await post('/sdapi/v1/interrupt', {})
		expect((await run).status).toBe(200)
		expect(fake.interrupts).toEqual(['theirs'])
	})

	it('needs Basic auth when started with --api-auth', async () => {
		fake = await startFakeA1111({ auth: 'ann:secret' })
		expect((await post('/sdapi/v1/txt2img', { steps: 1 })).status).toBe(401)
		const basic = `Basic ${Buffer.from('ann:secret').toString('base64')}`
		expect((await post('/sdapi/v1/txt2img', { steps: 1 }, { authorization: basic })).status).toBe(
			200,
		)
	})

	it('fails with a CUDA out-of-memory 500 when told to', async () => {
		fake = await startFakeA1111()
		fake.failNext('oom')
		const { status, json } = await post('/sdapi/v1/txt2img', { steps: 2 })
		expect(status).toBe(500)
		expect(json).toMatchObject({ error: 'OutOfMemoryError' })
		expect((await post('/sdapi/v1/txt2img', { steps: 1 })).status).toBe(200)
	})
})
