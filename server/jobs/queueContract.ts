import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { UnrecoverableJobError } from '../../engines/errors'
import type { Engine } from '../../engines/types'
import type { Job } from '../../shared/api'
import { ServerAwarenessSchema } from '../../shared/collab'
import { jobShapeIds } from '../../shared/records'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import { jobs } from '../db/schema'
import type { RunningServer } from '../server'
import {
	addMember,
	api,
	buildBoard,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from '../test/factories'
import { testBackend } from '../test/testBackend'

/** A running setup: the server (and, in queue mode, its workers). */
export interface QueueSetup {
	server: RunningServer
	close(): Promise<void>
}

/** Real processes for crash recovery: the runner is whatever process runs jobs. */
export interface CrashSetup {
	url: string
	/** Starts a runner whose every job takes `delayMs` longer (the builtin generator). */
	startRunner(delayMs: number): Promise<{ kill(): Promise<void> }>
	close(): Promise<void>
}

export interface QueueHarness {
	/** A server whose jobs run on `backend`, one at a time. */
	start(options: { dataDir: string; backend: Engine }): Promise<QueueSetup>
	crashable(dataDir: string): Promise<CrashSetup>
	/** How soon a killed runner's job must run again; null: when the runner restarts. */
	rerunWithinMs: number | null
}

/**
 * The behaviour every transport owes the product, run against the embedded queue and BullMQ
 * alike: enqueue, progress on every collaborator's screen, completion, retries, failure,
 * cancel, fair order, crash recovery and idempotent completion.
 */
export function describeQueueContract(name: string, harness: QueueHarness) {
	describe(`queue contract: ${name}`, () => {
		let tmp: ReturnType<typeof tempDir>
		let setup: QueueSetup | undefined
		const cleanups: (() => unknown)[] = []

		afterEach(async () => {
			for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
			await setup?.close()
			setup = undefined
			tmp?.remove()
		})

		async function begin(backend: Engine) {
			tmp = tempDir()
			setup = await harness.start({ dataDir: tmp.dir, backend })
			const server = setup.server
			const alice = await buildUser(server, 'Alice')
			const bob = await buildUser(server, 'Bob')
			const board = await buildBoard(server, alice)
			await addMember(server, alice, board.id, bob, 'editor')
			const submit = async (user: TestUser, prompt: string) => {
				const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, {
					op: 'imagine',
					prompt,
				})
				expect(res.status).toBe(202)
				return res.body.job.id as string
			}
			const node = (jobId: string) =>
				server.ctx.boards.getRecord(board.id, jobShapeIds(jobId).node) as
					| GenerationShape
					| undefined
			const watch = (user: TestUser) => {
				const client = connectBoard(server, board.id, user)
				cleanups.push(() => client.destroy())
				return client
			}
			const job = (jobId: string, status?: Job['status']) =>
				waitForJob(server, alice, board.id, jobId, status)
			return { server, alice, bob, board, submit, node, watch, job }
		}

		it('runs a job and shows its grid to every collaborator, with the worker in provenance', async () => {
			const { server, alice, bob, board, submit, watch, job } = await begin(testBackend())
			const bobsView = watch(bob)
			const jobId = await submit(alice, 'a lighthouse in fog')
			const done = await job(jobId)
			expect(done.images).toHaveLength(4)
			const node = await waitFor('grid on the other client', () => {
				const n = bobsView.get(jobShapeIds(jobId).node) as GenerationShape | undefined
				return n?.props.status === 'done' ? n : null
			})
			expect(node.props.candidates.map((c) => c.imageId)).toEqual(done.images.map((i) => i.id))
			const image = await api(server, alice.cookie).get(
				`/api/boards/${board.id}/images/${done.images[0].id}`,
			)
			expect(image.body.image.worker).toMatchObject({
				id: expect.any(String),
				host: expect.any(String),
			})
		})

		it('shows every collaborator the queue position, ETA and percent, and lists the queue', async () => {
			const backend = testBackend({ gated: true })
			const { server, alice, bob, board, submit, node, watch } = await begin(backend)
			const bobsView = watch(bob)
			const first = await submit(alice, 'first')
			const second = await submit(alice, 'second')
			const live = await waitFor('progress on the other client', () => {
				for (const state of bobsView.provider.awareness.getStates().values()) {
					const parsed = ServerAwarenessSchema.safeParse(state)
					const jobs = parsed.success ? parsed.data.jobs : null
					if (jobs?.[first]?.progress === 0.25 && jobs[second]?.position === 1) return jobs
				}
				return null
			})
			expect(live[first]).toMatchObject({ status: 'running', position: null })
			expect(live[second]).toMatchObject({ status: 'queued', position: 1 })
			expect(live[second].etaMs).toBeGreaterThan(0)
			expect(JSON.stringify(node(first)?.props)).not.toContain('0.25')

			const asBob = await api(server, bob.cookie).get(`/api/boards/${board.id}/queue`)
			expect(asBob.status).toBe(200)
			expect(asBob.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([first, second])
			expect(asBob.body.jobs[0]).toMatchObject({ status: 'running', createdBy: { name: 'Alice' } })
			expect(asBob.body.jobs[1]).toMatchObject({ status: 'queued', position: 1, canCancel: false })
			const asAlice = await api(server, alice.cookie).get(`/api/boards/${board.id}/queue`)
			expect(asAlice.body.jobs.every((j: { canCancel: boolean }) => j.canCancel)).toBe(true)

			backend.open()
			await waitFor('both done', () =>
				[first, second].every((id) => node(id)?.props.status === 'done'),
			)
			await waitFor('progress cleared', () => {
				for (const state of bobsView.provider.awareness.getStates().values()) {
					const parsed = ServerAwarenessSchema.safeParse(state)
					if (parsed.success && (parsed.data.jobs[first] || parsed.data.jobs[second])) return false
				}
				return true
			})
		})

		it('retries a failing job with backoff until it succeeds', async () => {
			const backend = testBackend({ failures: 2 })
			const { alice, submit, job } = await begin(backend)
			const done = await job(await submit(alice, 'flaky'))
			expect(backend.calls()).toBe(3)
			expect(done.attempts).toBe(3)
			expect(done.images).toHaveLength(4)
		})

		it('fails a job after its last attempt, with the reason on its node and its credits back', async () => {
			const backend = testBackend({ failures: 99 })
			const { server, alice, submit, node, job } = await begin(backend)
			const before = (await api(server, alice.cookie).get('/api/me')).body.credits.balance
			const jobId = await submit(alice, 'doomed')
			const failed = await job(jobId, 'failed')
			expect(backend.calls()).toBe(3)
			expect(failed.error).toMatch(/CUDA out of memory/)
			await waitFor('failed node', () => node(jobId)?.props.status === 'failed')
			expect(node(jobId)?.props.error).toMatch(/CUDA out of memory/)
			const after = (await api(server, alice.cookie).get('/api/me')).body.credits.balance
			expect(after).toBe(before)
		})

		it('fails an unrecoverable job at once, without retries', async () => {
			const backend = testBackend({
				failures: 99,
				error: () => new UnrecoverableJobError('prompt refused by policy'),
			})
			const { alice, submit, job } = await begin(backend)
			const failed = await job(await submit(alice, 'refused'), 'failed')
			expect(failed.error).toMatch(/refused by policy/)
			expect(backend.calls()).toBe(1)
			expect(failed.attempts).toBe(1)
		})

		it('cancels a queued job and a running one: the runner stops at once', async () => {
			const backend = testBackend({ gated: true })
			const { server, alice, board, submit, node, job } = await begin(backend)
			const client = api(server, alice.cookie)
			const running = await submit(alice, 'running')
			const queued = await submit(alice, 'queued')
			await waitFor(
				'running',
				() => backend.waiting() === 1 && node(running)?.props.status === 'running',
			)

			expect((await client.post(`/api/boards/${board.id}/jobs/${queued}/cancel`)).status).toBe(200)
			expect((await client.post(`/api/boards/${board.id}/jobs/${running}/cancel`)).status).toBe(200)
			await waitFor('the running job aborted', () => backend.aborted() === 1, 5000)
			await waitFor('nodes cancelled', () =>
				[running, queued].every((id) => node(id)?.props.status === 'cancelled'),
			)
			expect(backend.started()).toEqual(['running'])
			expect((await job(running, 'cancelled')).images).toHaveLength(0)

			backend.open()
			expect((await client.post(`/api/boards/${board.id}/jobs/${queued}/retry`)).status).toBe(202)
			expect((await job(queued)).images).toHaveLength(4)
			expect(backend.started()).toEqual(['running', 'queued'])
		})

		it("keeps one user's flood from starving another user", async () => {
			const backend = testBackend({ gated: true })
			const { alice, bob, submit, node } = await begin(backend)
			const flood = [await submit(alice, 'a1')]
			await waitFor('a1 running', () => node(flood[0])?.props.status === 'running')
			for (const prompt of ['a2', 'a3', 'a4']) flood.push(await submit(alice, prompt))
			await submit(bob, 'b1')
			backend.releaseOne()
			await waitFor('a second job started', () => backend.started().length === 2)
			expect(backend.started()).toEqual(['a1', 'b1'])
			backend.open()
			await waitFor('the flood done', () => flood.every((id) => node(id)?.props.status === 'done'))
			expect(backend.started().slice(2)).toEqual(['a2', 'a3', 'a4'])
		})

		it('records a result once when a job is delivered twice', async () => {
			const { server, alice, submit, node, job } = await begin(testBackend())
			const jobId = await submit(alice, 'twice')
			const first = await job(jobId)
			// At-least-once delivery: the transport hands the same job out again.
			server.ctx.db.update(jobs).set({ status: 'queued' }).where(eq(jobs.id, jobId)).run()
			server.ctx.queue.enqueue(jobId)
			const second = await waitFor('delivered again and done', async () => {
				const j = await job(jobId)
				return j.attempts === 2 ? j : null
			})
			expect(second.images.map((i) => i.id)).toEqual(first.images.map((i) => i.id))
			expect(node(jobId)?.props.candidates.map((c) => c.imageId)).toEqual(
				first.images.map((i) => i.id),
			)
		})

		it('runs a job again after its runner is killed mid-job, and shows it once', async () => {
			tmp = tempDir()
			const crash = await harness.crashable(tmp.dir)
			cleanups.push(() => crash.close())
			// The builtin generator, slowed so the kill lands mid-job.
			const slow = await crash.startRunner(60_000)
			const server = { url: crash.url }
			const alice = await buildUser(server, 'Alice')
			const board = await buildBoard(server, alice)
			const res = await api(server, alice.cookie).post(`/api/boards/${board.id}/jobs`, {
				op: 'imagine',
				prompt: 'a lighthouse in fog',
			})
			const jobId = res.body.job.id as string
			await waitForJob(server, alice, board.id, jobId, 'running')
			await slow.kill()
			const killedAt = Date.now()
			await crash.startRunner(0)
			const done = await waitForJob(server, alice, board.id, jobId, 'done', 30_000)
			if (harness.rerunWithinMs !== null)
				expect(Date.now() - killedAt).toBeLessThan(harness.rerunWithinMs)
			expect(done.attempts).toBe(2)
			expect(done.images).toHaveLength(4)

			const viewer = connectBoard(server, board.id, alice)
			cleanups.push(() => viewer.destroy())
			await waitFor('synced', () => viewer.provider.synced)
			const nodes = viewer
				.all()
				.filter((r) => r.typeName === 'shape' && r.type === GENERATION_SHAPE) as GenerationShape[]
			expect(nodes).toHaveLength(1)
			expect(nodes[0].props.status).toBe('done')
			expect(nodes[0].props.candidates.map((c) => c.imageId)).toEqual(done.images.map((i) => i.id))
		}, 60_000)
	})
}
