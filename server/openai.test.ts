import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../engines/openai/testing/fakeOpenAI'
import type { Image } from '../shared/api'
import type { RunningServer } from './server'
import {
	api,
	buildBoard,
	buildServer,
	buildUser,
	type TestUser,
	tempDir,
	waitForJob,
} from './test/factories'

// ARBOR_BACKEND=openai behind the server (embedded, the fake API on port 0): a refusal is shown,
// refunded and never sent twice (a retry bills again); a 429 is retried and billed once; a grid is
// one generations call; a zoom out keeps Arbor's frame and records the size the API painted.

const KEY = 'sk-server-openai-0123456789'

describe('OpenAI-style images behind the server', () => {
	const tmp = tempDir()
	let fake: FakeOpenAI
	let server: RunningServer
	let owner: TestUser
	let boardId: string

	beforeAll(async () => {
		fake = await startFakeOpenAI({ apiKey: KEY, refuse: /forbidden/ })
		server = await buildServer({
			dataDir: tmp.dir,
			env: {
				ARBOR_BACKEND: 'openai',
				ARBOR_OPENAI_BASE_URL: `${fake.url}/v1`,
				ARBOR_OPENAI_API_KEY: KEY,
			},
		})
		owner = await buildUser(server, 'Pia')
		boardId = (await buildBoard(server, owner)).id
	})
	afterAll(async () => {
		await server?.close()
		await fake?.close()
		tmp.remove()
	})

	const as = () => api(server, owner.cookie)
	const balance = async () => (await as().get('/api/me')).body.credits.balance as number
	const create = async (body: Record<string, unknown>) => {
		const res = await as().post(`/api/boards/${boardId}/jobs`, body)
		expect(res.status, JSON.stringify(res.body)).toBe(202)
		return res.body.job.id as string
	}
	const imageCalls = () => fake.requests.filter((r) => r.path.startsWith('/v1/images')).length

	it('refuses a content-policy refusal once, shows it and refunds it', async () => {
		const before = await balance()
		const calls = imageCalls()
		const billed = fake.billed()
		const jobId = await create({ op: 'imagine', prompt: 'something forbidden' })
		const failed = await waitForJob(server, owner, boardId, jobId, 'failed')
		expect(failed.error).toMatch(/rejected as a result of our safety system/)
		expect(failed.attempts).toBe(1)
		expect(imageCalls()).toBe(calls + 1)
		expect(fake.billed()).toBe(billed)
		expect(await balance()).toBe(before)
	})

	it('retries a 429, bills the grid once as one n=4 call, and records usage', async () => {
		fake.failNext(429)
		const calls = imageCalls()
		const billed = fake.billed()
		const jobId = await create({ op: 'imagine', prompt: 'a lantern festival' })
		const done = await waitForJob(server, owner, boardId, jobId, 'done', 30_000)
		expect(done.attempts).toBe(2)
		expect(imageCalls()).toBe(calls + 2)
		expect(fake.billed()).toBe(billed + 1)
		expect(fake.requests.at(-1)?.fields).toMatchObject({ n: 4, size: '1024x1024' })
		const image: Image = (await as().get(`/api/boards/${boardId}/images/${done.images[0].id}`)).body
			.image
		expect(image.engine?.extras).toMatchObject({ seedsHonoured: false })
		expect(image.engine?.extras.outputTokens).toBeGreaterThan(0)

		// Zoom out keeps Arbor's frame (the parent's 1024² drafted), painted at the API's 1024².
		const zoomId = await create({
			op: 'zoom_out',
			parentImageId: image.id,
			params: { factor: 2 },
		})
		const zoom = await waitForJob(server, owner, boardId, zoomId, 'done', 30_000)
		const zoomed: Image = (await as().get(`/api/boards/${boardId}/images/${zoom.images[0].id}`))
			.body.image
		expect(fake.requests.at(-1)?.path).toBe('/v1/images/edits')
		expect(zoomed).toMatchObject({ width: zoom.width, height: zoom.height })
		expect(zoomed.engine?.extras.engineSize).toBe('1024x1024')
	})
})
