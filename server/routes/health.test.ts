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

async function health(server: RunningServer) {
	const res = await fetch(`${server.url}/api/health`)
	return { status: res.status, body: HealthSchema.parse(await res.json()) }
}

async function metrics(server: RunningServer) {
	const res = await fetch(`${server.url}/metrics`)
	expect(res.headers.get('content-type')).toMatch(/text\/plain/)
	return res.text()
}

describe('health and metrics', () => {
	it('report embedded mode: the server is the worker; jobs by state and op, durations', async () => {
		tmp = tempDir()
		const server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
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
		await runOneJob(server)
		const text = await metrics(server)
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
		const server = await buildQueueServer({ dataDir: tmp.dir, prefix, redisUrl: redis.url })
		cleanups.push(() => server.close())
		expect((await health(server)).body.redis).toEqual({ reachable: true })
		await redis.stop()
		const down = await health(server)
		expect(down).toMatchObject({
			status: 503,
			body: { status: 'down', redis: { reachable: false } },
		})
		await redis.start()
		await waitFor('redis reachable again', async () => (await health(server)).body.redis?.reachable)
	})
})
