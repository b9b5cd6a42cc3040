import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_COORDINATE } from '../shared/coordinates'
import type { RunningServer } from './server'
import { api, buildBoard, buildServer, buildUser, type TestUser, tempDir } from './test/factories'

// An editor could brick a board by placing a node at x = 1e308 (#12 item 6): every route that
// places a node holds coordinates to ±MAX_COORDINATE.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let user: TestUser
let boardId: string
let png: Buffer

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
	user = await buildUser(server)
	boardId = (await buildBoard(server, user)).id
	png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#336699' } })
		.png()
		.toBuffer()
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

const upload = (query: string) =>
	fetch(`${server.url}/api/boards/${boardId}/uploads${query}`, {
		method: 'POST',
		headers: { cookie: user.cookie, 'content-type': 'image/png' },
		body: new Uint8Array(png),
	})

const OUT_OF_BOUNDS = ['1e308', '-1e308', String(MAX_COORDINATE + 1), 'Infinity', 'NaN', '1e400']

describe('coordinates', () => {
	it.each(OUT_OF_BOUNDS)('refuses an upload placed at x=%s with 400', async (x) => {
		const res = await upload(`?x=${x}&y=0`)
		expect(res.status).toBe(400)
		expect((await res.json()).error.code).toBe('validation_failed')
		const res2 = await upload(`?x=0&y=${x}`)
		expect(res2.status).toBe(400)
	})

	it('accepts an upload at the edge of the board', async () => {
		expect((await upload(`?x=${MAX_COORDINATE}&y=${-MAX_COORDINATE}`)).status).toBe(201)
	})

	it.each([1e308, -1e308, MAX_COORDINATE + 1])('refuses a job placed at %s with 400', async (x) => {
		for (const at of [
			{ x, y: 0 },
			{ x: 0, y: x },
		]) {
			const res = await api(server, user.cookie).post(`/api/boards/${boardId}/jobs`, {
				op: 'imagine',
				prompt: 'a lighthouse',
				at,
			})
			expect(res.status).toBe(400)
		}
	})

	it('refuses a job whose at holds a number JSON can only spell as overflow', async () => {
		const res = await api(server, user.cookie).post(
			`/api/boards/${boardId}/jobs`,
			'{"op":"imagine","prompt":"a lighthouse","at":{"x":1e400,"y":0}}',
		)
		expect(res.status).toBe(400)
	})
})
