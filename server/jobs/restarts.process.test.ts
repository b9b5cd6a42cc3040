import { afterEach, describe, expect, it } from 'vitest'
import { expectExactlyOnce, jobsOf, submitMany, waitAllDone } from '../test/exactlyOnce'
import { buildBoard, buildUser, tempDir, waitFor } from '../test/factories'
import {
	buildQueueServer,
	dropPrefix,
	freePort,
	REDIS_URL,
	spawnServer,
	spawnWorker,
	startPrivateRedis,
	TEST_WORKER_TOKEN,
	uniquePrefix,
} from '../test/queueMode'

// Queue mode while the infrastructure restarts under it: Redis (losing everything it held) and
// the server (SIGKILLed mid-run), with real worker processes.

const cleanups: (() => unknown)[] = []
let tmp: ReturnType<typeof tempDir>

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
	tmp?.remove()
})

const limits = { ARBOR_MAX_QUEUED_PER_USER: '100', ARBOR_RATE_LIMIT_PER_MINUTE: '1000' }

describe('queue mode across restarts', () => {
	it('resumes every job after Redis restarts empty mid-run', async () => {
		tmp = tempDir()
		const redis = await startPrivateRedis()
		cleanups.push(() => redis.stop())
		const prefix = uniquePrefix()
		const server = await buildQueueServer({
			dataDir: tmp.dir,
			prefix,
			redisUrl: redis.url,
			env: limits,
		})
		cleanups.push(() => server.close())
		const worker = await spawnWorker({
			serverUrl: server.url,
			prefix,
			redisUrl: redis.url,
			env: { ARBOR_BUILTIN_DELAY_MS: '700' },
		})
		cleanups.push(() => worker.stop('SIGKILL'))
		const user = await buildUser(server)
		const board = await buildBoard(server, user)
		const ids = await submitMany(server, user, board.id, 6)
		await waitFor(
			'some done, one running',
			async () => {
				const jobs = await jobsOf(server, user, board.id, ids)
				return jobs.some((j) => j.status === 'done') && jobs.some((j) => j.status === 'running')
			},
			30_000,
		)

		// No persistence: Redis comes back empty. The record knows what is unfinished.
		await redis.stop()
		const during = await submitMany(server, user, board.id, 1, 'asked while Redis was down')
		await redis.start()

		const all = [...ids, ...during]
		await waitAllDone(server, user, board.id, all, 60_000)
		await expectExactlyOnce(server, user, board.id, all)
	}, 120_000)

	it('lands results when the server is SIGKILLed and restarted during a run', async () => {
		tmp = tempDir()
		const prefix = uniquePrefix()
		cleanups.push(() => dropPrefix(prefix))
		const port = await freePort()
		const env = {
			PORT: String(port),
			REDIS_URL,
			ARBOR_WORKER_TOKEN: TEST_WORKER_TOKEN,
			ARBOR_QUEUE_PREFIX: prefix,
			...limits,
		}
		const first = await spawnServer(tmp.dir, env)
		cleanups.push(() => first.stop('SIGKILL'))
		const worker = await spawnWorker({
			serverUrl: first.url,
			prefix,
			env: { ARBOR_BUILTIN_DELAY_MS: '2000' },
		})
		cleanups.push(() => worker.stop('SIGKILL'))
		const user = await buildUser(first)
		const board = await buildBoard(first, user)
		const ids = await submitMany(first, user, board.id, 3)
		await waitFor('the first job running', async () => {
			const [job] = await jobsOf(first, user, board.id, ids.slice(0, 1))
			return job.status === 'running'
		})

		// Mid-job, the server dies. The worker keeps generating and retries its uploads.
		await first.stop('SIGKILL')
		const second = await spawnServer(tmp.dir, env)
		cleanups.push(() => second.stop('SIGKILL'))
		expect(second.url).toBe(first.url)

		await waitAllDone(second, user, board.id, ids, 60_000)
		await expectExactlyOnce(second, user, board.id, ids)
		// The interrupted job's own run landed: it was not run again.
		const [interrupted] = await jobsOf(second, user, board.id, ids.slice(0, 1))
		expect(interrupted.attempts).toBe(1)
	}, 120_000)
})
