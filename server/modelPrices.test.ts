import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
import { testBackend } from './test/testBackend'

// Prices per model: an instance admin sets what a prompt costs on a model; every op on it scales
// alike, quotes and charges follow, the model picker and the op catalogue show it.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let admin: TestUser
let member: TestUser
let boardId: string

/** The test engine's one model (embedded mode: the server's engine). */
const MODEL = 'solid'

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
	admin = await buildUser(server, 'Admin')
	member = await buildUser(server, 'Member')
	boardId = (await buildBoard(server, admin)).id
})
afterAll(async () => {
	await server.close()
	tmp.remove()
})

const balance = async (user: TestUser) =>
	(await api(server, user.cookie).get('/api/me')).body.credits.balance as number

describe('model prices', () => {
	it('charges the price an admin set for the model, on prompts and on steering', async () => {
		const as = api(server, admin.cookie)
		const set = await as.raw('PUT', '/api/admin/model-prices', { model: MODEL, price: 10 })
		expect(set.status).toBe(200)
		expect(set.body.models).toContainEqual(
			expect.objectContaining({ id: MODEL, price: 10, custom: true, online: true }),
		)
		const models = (await as.get('/api/models')).body.models
		expect(models.find((m: { id: string }) => m.id === MODEL).price).toBe(10)

		const before = await balance(admin)
		const quote = await as.post(`/api/boards/${boardId}/jobs/quote`, {
			op: 'imagine',
			model: MODEL,
			prompt: 'a priced heron',
		})
		expect(quote.body.price).toBe(10)
		const res = await as.post(`/api/boards/${boardId}/jobs`, {
			op: 'imagine',
			model: MODEL,
			prompt: 'a priced heron',
		})
		expect(res.status).toBe(202)
		expect(res.body.job.cost).toBe(10)
		const done = await waitForJob(server, admin, boardId, res.body.job.id)
		expect(done.status).toBe('done')
		expect(await balance(admin)).toBe(before - 10)

		// A vary keeps its parent's model, so its price: the catalogue's 4 scaled by 10 / 4.
		const vary = await as.post(`/api/boards/${boardId}/jobs`, {
			op: 'vary',
			parentImageId: done.images[0].id,
			params: { strength: 'subtle' },
		})
		expect(vary.body.job.cost).toBe(10)
		const ops = (await as.get(`/api/ops?model=${MODEL}&factor=2`)).body.ops
		expect(ops.find((o: { name: string }) => o.name === 'upscale').price).toBe(20)
		await waitForJob(server, admin, boardId, vary.body.job.id)
	})

	it('gives a model the catalogue price back when its price is reset', async () => {
		const as = api(server, admin.cookie)
		await as.raw('PUT', '/api/admin/model-prices', { model: 'flux-dev', price: 12 })
		const reset = await as.raw('PUT', '/api/admin/model-prices', { model: MODEL, price: null })
		expect(reset.status).toBe(200)
		expect(reset.body.models).toContainEqual(
			expect.objectContaining({ id: MODEL, price: 4, custom: false }),
		)
		// A priced model that no engine serves is still listed, marked offline.
		expect(reset.body.models).toContainEqual(
			expect.objectContaining({ id: 'flux-dev', price: 12, online: false, engine: null }),
		)
		const quote = await as.post(`/api/boards/${boardId}/jobs/quote`, {
			op: 'imagine',
			prompt: 'back to list price',
		})
		expect(quote.body.price).toBe(4)
	})

	it('refuses anyone but an admin', async () => {
		const as = api(server, member.cookie)
		expect((await as.get('/api/admin/model-prices')).status).toBe(403)
		const put = await as.raw('PUT', '/api/admin/model-prices', { model: MODEL, price: 1 })
		expect(put.status).toBe(403)
		expect((await api(server).get('/api/admin/model-prices')).status).toBe(401)
	})

	it.each([
		['no model', { price: 5 }],
		['an empty model', { model: ' ', price: 5 }],
		['a price of zero', { model: MODEL, price: 0 }],
		['a fractional price', { model: MODEL, price: 2.5 }],
		['a price as text', { model: MODEL, price: '5' }],
		['an unknown field', { model: MODEL, price: 5, free: true }],
	])('refuses a body with %s (400)', async (_, body) => {
		const res = await api(server, admin.cookie).raw('PUT', '/api/admin/model-prices', body)
		expect(res.status).toBe(400)
		expect(res.body.error.code).toBe('validation_failed')
	})
})
