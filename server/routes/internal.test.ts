import { spawn } from 'node:child_process'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fakeRecord } from '../../engines/testing/fakeEngine'
import type { EngineRecord } from '../../shared/engines'
import { INTERNAL_PATH, WORKER_HEADERS } from '../../shared/internalApi'
import { loadWorkerConfig } from '../../worker/config'
import { loadConfig } from '../config'
import type { RunningServer } from '../server'
import { api, buildBoard, buildServer, buildUser, tempDir, waitFor } from '../test/factories'
import {
	buildQueueServer,
	dropPrefix,
	REDIS_URL,
	TEST_WORKER_TOKEN,
	uniquePrefix,
} from '../test/queueMode'

const worker = { [WORKER_HEADERS.id]: 'test-worker-1', [WORKER_HEADERS.host]: 'gpu-box' }
const auth = { authorization: `Bearer ${TEST_WORKER_TOKEN}`, ...worker }

async function png(width: number, height: number, tint = 0): Promise<Uint8Array> {
	const buffer = await sharp({
		create: { width, height, channels: 3, background: { r: tint, g: 9, b: 200 } },
	})
		.png()
		.toBuffer()
	return new Uint8Array(buffer)
}

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let prefix: string

beforeEach(async () => {
	tmp = tempDir()
	prefix = uniquePrefix()
	// No worker runs: jobs stay queued until the test plays the worker.
	server = await buildQueueServer({ dataDir: tmp.dir, prefix })
})

afterEach(async () => {
	await server.close()
	await dropPrefix(prefix)
	tmp.remove()
})

const internal = (path: string, init: RequestInit = {}) =>
	fetch(`${server.url}${INTERNAL_PATH}${path}`, init)

async function queuedJob() {
	const user = await buildUser(server)
	const board = await buildBoard(server, user)
	const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, {
		op: 'imagine',
		prompt: 'a kite over dunes',
		params: { aspectRatio: '1:1' },
	})
	return { user, board, job: res.body.job as { id: string; width: number; height: number } }
}

describe('the internal API', () => {
	it('refuses a missing or wrong worker token, and a worker without an identity', async () => {
		const { job } = await queuedJob()
		const path = `/jobs/${job.id}/start`
		expect((await internal(path, { method: 'POST', headers: worker })).status).toBe(401)
		const wrong = { authorization: `Bearer ${TEST_WORKER_TOKEN.slice(0, -1)}x`, ...worker }
		const refused = await internal(path, { method: 'POST', headers: wrong })
		expect(refused.status).toBe(401)
		expect((await refused.json()).error.code).toBe('unauthenticated')
		const anonymous = { authorization: `Bearer ${TEST_WORKER_TOKEN}` }
		expect((await internal(path, { method: 'POST', headers: anonymous })).status).toBe(400)
		const started = await internal(path, { method: 'POST', headers: auth })
		expect(started.status).toBe(200)
		expect((await started.json()).payload).toMatchObject({
			jobId: job.id,
			prompt: 'a kite over dunes',
		})
	})

	it('accepts only complete PNGs of the size the job makes', async () => {
		const { job } = await queuedJob()
		await internal(`/jobs/${job.id}/start`, { method: 'POST', headers: auth })
		const put = (body: Uint8Array) =>
			internal(`/jobs/${job.id}/outputs/0`, {
				method: 'PUT',
				headers: { ...auth, 'content-type': 'image/png' },
				body: body as Uint8Array<ArrayBuffer>,
			})
		const good = await png(job.width, job.height)
		expect((await put(new TextEncoder().encode('<svg>not a png</svg>'))).status).toBe(422)
		expect((await put(await png(job.width + 8, job.height))).status).toBe(422)
		expect((await put(good.subarray(0, good.length - 20))).status).toBe(422)
		// A valid header and IEND around garbage pixels: the decoder refuses it.
		const forged = new Uint8Array(good)
		forged.fill(7, 40, forged.length - 20)
		expect((await put(forged)).status).toBe(422)
		const huge = new Uint8Array(65 * 1024 * 1024)
		expect((await put(huge)).status).toBe(413)
		const ok = await put(good)
		expect(ok.status).toBe(200)
		expect((await ok.json()).sha256).toMatch(/^[0-9a-f]{64}$/)
	})

	it('records outputs once, with the worker in provenance, and only outputs it received', async () => {
		const { user, board, job } = await queuedJob()
		const start = await internal(`/jobs/${job.id}/start`, { method: 'POST', headers: auth })
		const { payload } = await start.json()
		const backend = { backend: 'test', model: 'solid', version: '1' }
		const outputs: { index: number; seed: number; sha256: string; record: EngineRecord }[] = []
		for (const [index, seed] of (payload.seeds as number[]).entries()) {
			const res = await internal(`/jobs/${job.id}/outputs/${index}`, {
				method: 'PUT',
				headers: auth,
				body: (await png(job.width, job.height, index)) as Uint8Array<ArrayBuffer>,
			})
			outputs.push({
				index,
				seed,
				sha256: (await res.json()).sha256,
				record: fakeRecord(backend, seed),
			})
		}
		const complete = (body: unknown) =>
			internal(`/jobs/${job.id}/complete`, {
				method: 'POST',
				headers: { ...auth, 'content-type': 'application/json' },
				body: JSON.stringify(body),
			})
		const forged = outputs.map((o, i) => (i === 0 ? { ...o, sha256: 'f'.repeat(64) } : o))
		expect((await complete({ outputs: forged, backend })).status).toBe(422)
		expect((await complete({ outputs: outputs.slice(1), backend })).status).toBe(422)
		const unrecorded = outputs.map(({ record: _, ...o }) => o)
		expect((await complete({ outputs: unrecorded, backend })).status).toBe(400)
		// The engine names the model per image (the builtin's neural upscaler, a checkpoint).
		outputs[0] = {
			...outputs[0],
			record: { ...outputs[0].record, model: 'esrgan-slim-x2', sampler: 'euler', steps: 20 },
		}
		expect(await (await complete({ outputs, backend })).json()).toEqual({ recorded: true })
		expect(await (await complete({ outputs, backend })).json()).toEqual({ recorded: false })

		const record = await api(server, user.cookie).get(`/api/boards/${board.id}/jobs/${job.id}`)
		expect(record.body.job.status).toBe('done')
		expect(record.body.job.images).toHaveLength(4)
		const image = await api(server, user.cookie).get(
			`/api/boards/${board.id}/images/${record.body.job.images[0].id}`,
		)
		expect(image.body.image).toMatchObject({
			backend: 'test',
			model: 'esrgan-slim-x2',
			worker: { id: 'test-worker-1', host: 'gpu-box' },
			engine: { sampler: 'euler', steps: 20, seed: image.body.image.seed },
		})
		// The job is finished: a late redelivery is told it is not wanted.
		expect(
			(await internal(`/jobs/${job.id}/start`, { method: 'POST', headers: auth })).status,
		).toBe(409)
	})

	it('tells a worker reporting progress that its job was cancelled', async () => {
		const { user, board, job } = await queuedJob()
		await internal(`/jobs/${job.id}/start`, { method: 'POST', headers: auth })
		const report = () =>
			internal(`/jobs/${job.id}/progress`, {
				method: 'POST',
				headers: { ...auth, 'content-type': 'application/json' },
				body: JSON.stringify({ fraction: 0.5 }),
			}).then((r) => r.json())
		expect(await report()).toEqual({ cancelled: false })
		await api(server, user.cookie).post(`/api/boards/${board.id}/jobs/${job.id}/cancel`)
		expect(await report()).toEqual({ cancelled: true })
	})

	it('takes a live preview of a running job, shrinks it and serves it to the board', async () => {
		const { user, board, job } = await queuedJob()
		const put = (body: Uint8Array) =>
			internal(`/jobs/${job.id}/preview`, {
				method: 'PUT',
				headers: { ...auth, 'content-type': 'image/png' },
				body: body as Uint8Array<ArrayBuffer>,
			})
		// Not running yet: accepted and dropped.
		expect((await put(await png(64, 64))).status).toBe(200)
		expect(server.ctx.previews.get(job.id)).toBeUndefined()
		await internal(`/jobs/${job.id}/start`, { method: 'POST', headers: auth })
		const reply = await put(await png(600, 300, 120))
		expect(await reply.json()).toEqual({ cancelled: false })
		const preview = await waitFor('the preview', () => server.ctx.previews.get(job.id))
		const meta = await sharp(preview.bytes).metadata()
		expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 128])
		const served = await api(server, user.cookie).get(
			`/api/boards/${board.id}/jobs/${job.id}/preview`,
		)
		expect(served.status).toBe(200)
		expect(served.headers.get('content-type')).toBe('image/webp')
		// An empty or oversized body is refused.
		expect((await put(new Uint8Array())).status).toBe(400)
		expect((await put(new Uint8Array(300 * 1024))).status).toBe(413)
	})

	it('does not exist when the server runs embedded', async () => {
		await server.close()
		server = await buildServer({ dataDir: tmp.dir, env: { ARBOR_WORKER_TOKEN: TEST_WORKER_TOKEN } })
		expect((await internal('/workers/heartbeat', { method: 'POST', headers: auth })).status).toBe(
			404,
		)
	})
})

describe('queue-mode configuration', () => {
	it('refuses to start a server or a worker without a worker token', async () => {
		expect(() => loadConfig({ REDIS_URL })).toThrow(/ARBOR_WORKER_TOKEN/)
		expect(() => loadConfig({ REDIS_URL, ARBOR_WORKER_TOKEN: 'short' })).toThrow(/16\+/)
		const env = { REDIS_URL, ARBOR_SERVER_URL: 'http://127.0.0.1:1' }
		expect(() => loadWorkerConfig(env)).toThrow(/ARBOR_WORKER_TOKEN/)
		expect(() => loadWorkerConfig({ ...env, ARBOR_WORKER_TOKEN: 'short' })).toThrow(/16\+/)

		// `npm run worker` as a process: it exits at once, naming the variable.
		const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
			env: { ...process.env, ...env, ARBOR_WORKER_TOKEN: '' },
			stdio: ['ignore', 'pipe', 'pipe'],
		})
		let stderr = ''
		child.stderr.on('data', (chunk) => {
			stderr += chunk
		})
		const code = await new Promise((resolve) => child.once('exit', resolve))
		expect(code).toBe(1)
		expect(stderr).toMatch(/ARBOR_WORKER_TOKEN/)
	})
})
