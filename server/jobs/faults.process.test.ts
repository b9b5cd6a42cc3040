import { and, eq, inArray, notInArray } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { QUEUE_TIMING } from '../../shared/queue'
import { jobs } from '../db/schema'
import type { RunningServer } from '../server'
import { expectExactlyOnce, jobsOf, submitMany, waitAllDone } from '../test/exactlyOnce'
import { api, buildBoard, buildUser, tempDir, waitFor, waitForJob } from '../test/factories'
import {
	buildQueueServer,
	dropPrefix,
	spawnWorker,
	uniquePrefix,
	type WorkerProcess,
} from '../test/queueMode'

// Queue mode under faults, with real processes: workers are `node worker/main.ts` children,
// killed with SIGKILL the way an OOM killer or a pulled plug would.

let tmp: ReturnType<typeof tempDir>
let prefix: string
let server: RunningServer
const workers: WorkerProcess[] = []

afterEach(async () => {
	for (const worker of workers.splice(0)) await worker.stop('SIGKILL')
	await server?.close()
	await dropPrefix(prefix)
	tmp?.remove()
})

async function setup() {
	tmp = tempDir()
	prefix = uniquePrefix()
	server = await buildQueueServer({
		dataDir: tmp.dir,
		prefix,
		env: { ARBOR_MAX_QUEUED_PER_USER: '100', ARBOR_RATE_LIMIT_PER_MINUTE: '1000' },
	})
	const user = await buildUser(server)
	const board = await buildBoard(server, user)
	const worker = async (env: Record<string, string>) => {
		const w = await spawnWorker({ serverUrl: server.url, prefix, env })
		workers.push(w)
		return w
	}
	return { user, board, worker }
}

/** A job a worker is running for the first time (never one we already killed). */
function freshRunningJob(killed: Set<string>) {
	return server.ctx.db
		.select({ id: jobs.id })
		.from(jobs)
		.where(and(eq(jobs.status, 'running'), notInArray(jobs.id, [...killed, 'none'])))
		.get()?.id
}

describe('queue mode under faults', () => {
	it('does every job exactly once while its worker is SIGKILLed mid-job 10 times in a row', async () => {
		const { user, board, worker } = await setup()
		const ids = await submitMany(server, user, board.id, 14)
		const slow = { ARBOR_BUILTIN_DELAY_MS: '1000' }
		let current = await worker(slow)
		const killed = new Set<string>()
		for (let kill = 0; kill < 10; kill++) {
			const victim = await waitFor('a job running for the first time', () =>
				freshRunningJob(killed),
			)
			await current.stop('SIGKILL')
			killed.add(victim)
			current = await worker(slow)
		}
		await waitAllDone(server, user, board.id, ids, 120_000)
		await expectExactlyOnce(server, user, board.id, ids)
		const killedJobs = (await jobsOf(server, user, board.id, ids)).filter((j) => killed.has(j.id))
		expect(killedJobs).toHaveLength(10)
		for (const job of killedJobs) expect(job.attempts).toBeGreaterThanOrEqual(2)
	}, 180_000)

	it('fails a job that keeps killing its worker, with the reason, and refunds it', async () => {
		const { user, board, worker } = await setup()
		const before = (await api(server, user.cookie).get('/api/me')).body.credits.balance
		const [jobId] = await submitMany(server, user, board.id, 1, 'poison')
		// Short locks so the loop is quick; the production timing is covered by the contract suite.
		const env = {
			ARBOR_BUILTIN_DELAY_MS: '60000',
			ARBOR_WORKER_LOCK_MS: '1000',
			ARBOR_WORKER_STALLED_MS: '500',
		}
		let kills = 0
		for (;;) {
			const current = await worker(env)
			const state = await waitFor(
				'the job running again, or failed',
				() => {
					const row = server.ctx.db.select().from(jobs).where(eq(jobs.id, jobId)).get()!
					if (row.status === 'failed') return 'failed'
					return row.status === 'running' && row.attempts === kills + 1 ? 'running' : null
				},
				30_000,
			)
			if (state === 'failed') break
			await current.stop('SIGKILL')
			kills += 1
			expect(kills).toBeLessThanOrEqual(QUEUE_TIMING.MAX_STALLS + 1)
		}
		expect(kills).toBe(QUEUE_TIMING.MAX_STALLS + 1)
		const failed = await waitForJob(server, user, board.id, jobId, 'failed')
		expect(failed.error).toMatch(/stalled/)
		const after = (await api(server, user.cookie).get('/api/me')).body.credits.balance
		expect(after).toBe(before)
	}, 120_000)

	it('hands the running job back at once on SIGTERM, without counting the attempt', async () => {
		const { user, board, worker } = await setup()
		const [jobId] = await submitMany(server, user, board.id, 1, 'handed back')
		const leaving = await worker({ ARBOR_BUILTIN_DELAY_MS: '60000', ARBOR_WORKER_GRACE_MS: '200' })
		await waitForJob(server, user, board.id, jobId, 'running')
		const signalled = Date.now()
		expect(await leaving.stop('SIGTERM')).toBe(0)
		expect(Date.now() - signalled).toBeLessThan(5000)
		const queued = await waitForJob(server, user, board.id, jobId, 'queued', 5000)
		expect(queued.attempts).toBe(0)
		// Back in line, not stalled: the next worker takes it without waiting for a lock to lapse.
		await worker({})
		const tookAt = Date.now()
		const done = await waitForJob(server, user, board.id, jobId, 'done', 20_000)
		expect(Date.now() - tookAt).toBeLessThan(QUEUE_TIMING.LOCK_MS)
		expect(done.attempts).toBe(1)
	}, 60_000)

	it('finishes the running job on SIGTERM when it fits in the grace period', async () => {
		const { user, board, worker } = await setup()
		const [jobId] = await submitMany(server, user, board.id, 1, 'finished')
		const leaving = await worker({
			ARBOR_BUILTIN_DELAY_MS: '1500',
			ARBOR_WORKER_ID: 'leaving-gracefully',
		})
		await waitForJob(server, user, board.id, jobId, 'running')
		expect(await leaving.stop('SIGTERM')).toBe(0)
		const done = await waitForJob(server, user, board.id, jobId, 'done', 1000)
		expect(done.attempts).toBe(1)
		const image = await api(server, user.cookie).get(
			`/api/boards/${board.id}/images/${done.images[0].id}`,
		)
		expect(image.body.image.worker.id).toBe('leaving-gracefully')
		const left = server.ctx.db
			.select({ id: jobs.id })
			.from(jobs)
			.where(inArray(jobs.status, ['queued', 'running']))
			.all()
		expect(left).toEqual([])
	}, 60_000)
})
