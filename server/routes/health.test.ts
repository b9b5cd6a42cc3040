import { afterEach, describe, expect, it } from 'vitest'
import { HealthSchema } from '../../shared/queue'
import type { RunningWorker } from '../../worker/queueWorker'
import type { RunningServer } from '../server'
import {
	api,
	buildBoard,
	buildServer,
	buildUser,
	tempDir,
	waitFor,
	waitForJob,
} from '../test/factories'
import {
	buildQueueServer,
	dropPrefix,
	startPrivateRedis,
	startTestWorker,
	TEST_WORKER_TOKEN,
	uniquePrefix,
} from '../test/queueMode'
import { testBackend } from '../test/testBackend'

let tmp: ReturnType<typeof tempDir>
const cleanups: (() => unknown)[] = []

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
	tmp?.remove()
})

async function runOneJob(server: RunningServer) {
	const user = await buildUser(server)
	const board = await buildBoard(server, user)
	const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, {
		op: 'imagine',
		prompt: 'metrics',
	})
	await waitForJob(server, user, board.id, res.body.job.id)
}

const METRICS_TOKEN = 'metrics-token-0123456789'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const health = (server: RunningServer) => healthOf(server)

/** The detailed health, as a monitoring system holding the metrics token reads it. */
async function healthOf(server: RunningServer, token = METRICS_TOKEN) {
	const res = await fetch(`${server.url}/api/health`, { headers: bearer(token) })
	return { status: res.status, body: HealthSchema.parse(await res.json()) }
}

async function metrics(server: RunningServer, token = METRICS_TOKEN) {
	const res = await fetch(`${server.url}/metrics`, { headers: bearer(token) })
	expect(res.status).toBe(200)
	expect(res.headers.get('content-type')).toMatch(/text\/plain/)
	return res.text()
}

describe('health and metrics', () => {
	it('tell anyone only that the server is alive; the detail and metrics need the token', async () => {
		tmp = tempDir()
		const server = await buildServer({
			dataDir: tmp.dir,
			backend: testBackend(),
			env: { ARBOR_METRICS_TOKEN: METRICS_TOKEN },
		})
		cleanups.push(() => server.close())
		for (const headers of [
			{},
			bearer('wrong-token-0123456789'),
			{ authorization: METRICS_TOKEN },
		]) {
			const open = await fetch(`${server.url}/api/health`, { headers })
			expect(open.status).toBe(200)
			expect(await open.json()).toEqual({ status: 'ok' })
			const scrape = await fetch(`${server.url}/metrics`, { headers })
			expect(scrape.status).toBe(401)
			expect(await scrape.text()).not.toMatch(/arbor_/)
		}
		const user = await buildUser(server)
		const signedIn = await fetch(`${server.url}/metrics`, { headers: { cookie: user.cookie } })
		expect(signedIn.status).toBe(401)
		expect((await health(server)).body.workers).toHaveLength(1)
	})

	it('serve no metrics at all without a token configured', async () => {
		tmp = tempDir()
		const server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
		cleanups.push(() => server.close())
		expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
		expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ status: 'ok' })
	})

	it('report embedded mode: the server is the worker; jobs by state and op, durations', async () => {
		tmp = tempDir()
		const server = await buildServer({
			dataDir: tmp.dir,
			backend: testBackend(),
			env: { ARBOR_METRICS_TOKEN: METRICS_TOKEN },
		})
		cleanups.push(() => server.close())
		expect(await health(server)).toMatchObject({
			status: 200,
			body: { status: 'ok', mode: 'embedded', redis: null, workers: [{ id: 'embedded' }] },
		})
		await runOneJob(server)
		const text = await metrics(server)
		expect(text).toMatch(/^arbor_jobs\{state="done",op="imagine"\} 1$/m)
		expect(text).toMatch(/^arbor_queue_depth\{state="queued"\} 0$/m)
		expect(text).toMatch(/^arbor_job_duration_seconds_count\{op="imagine",outcome="done"\} 1$/m)
		expect(text).toMatch(/^arbor_worker_slots 1$/m)
	})

	it('report queue mode: Redis reachable, the workers seen, BullMQ counts', async () => {
		tmp = tempDir()
		const prefix = uniquePrefix()
		const server = await buildQueueServer({ dataDir: tmp.dir, prefix })
		const health = (s: RunningServer) => healthOf(s, TEST_WORKER_TOKEN)
		cleanups.push(
			() => dropPrefix(prefix),
			() => server.close(),
		)
		// No worker yet: up, but nothing will run.
		expect(await health(server)).toMatchObject({
			status: 200,
			body: { status: 'degraded', mode: 'queue', redis: { reachable: true }, workers: [] },
		})
		const worker: RunningWorker = await startTestWorker(server, {
			prefix,
			backend: testBackend(),
			identity: { id: 'gpu-7', host: 'rack-3' },
			concurrency: 2,
		})
		cleanups.push(() => worker.close({ graceMs: 0 }))
		const seen = await waitFor('worker seen', async () => {
			const h = await health(server)
			return h.body.workers.length === 1 ? h : null
		})
		expect(seen.body).toMatchObject({
			status: 'ok',
			workers: [{ id: 'gpu-7', host: 'rack-3', concurrency: 2, backend: 'test' }],
		})
		// Without a token, only the status: no hosts, no queue.
		expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ status: 'ok' })
		await runOneJob(server)
		// The worker token is accepted too (no metrics token is set here).
		const text = await metrics(server, TEST_WORKER_TOKEN)
		expect(text).toMatch(/^arbor_jobs\{state="done",op="imagine"\} 1$/m)
		expect(text).toMatch(/^arbor_bullmq_jobs\{state="active"\} 0$/m)
		expect(text).toMatch(/^arbor_workers_seen 1$/m)
		expect(text).toMatch(/^arbor_worker_slots 2$/m)
	})

	it('answers 503 while Redis is unreachable, and recovers', async () => {
		tmp = tempDir()
		const redis = await startPrivateRedis()
		cleanups.push(() => redis.stop())
		const prefix = uniquePrefix()
		const server = await buildQueueServer({
			dataDir: tmp.dir,
			prefix,
			redisUrl: redis.url,
			env: { ARBOR_METRICS_TOKEN: METRICS_TOKEN },
		})
		cleanups.push(() => server.close())
		const open = await fetch(`${server.url}/api/health`)
		expect((await health(server)).body.redis).toEqual({ reachable: true })
		expect(open.status).toBe(200)
		await redis.stop()
		const down = await health(server)
		// Liveness says so too, without the detail.
		const bare = await fetch(`${server.url}/api/health`)
		expect([bare.status, await bare.json()]).toEqual([503, { status: 'down' }])
		expect(down).toMatchObject({
			status: 503,
			body: { status: 'down', redis: { reachable: false } },
		})
		await redis.start()
		await waitFor('redis reachable again', async () => (await health(server)).body.redis?.reachable)
	})
})
