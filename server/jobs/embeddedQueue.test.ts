import { afterEach, describe, expect, it } from 'vitest'
import { createBuiltinBackend } from '../../engines/builtin/builtinBackend'
import { UnrecoverableJobError } from '../../engines/errors'
import type { Engine } from '../../engines/types'
import { ServerAwarenessSchema } from '../../shared/collab'
import type { GeneratedImage } from '../../shared/jobPayload'
import { jobShapeIds } from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import type { RunningServer } from '../server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	connectBoard,
	tempDir,
	waitFor,
	waitForJob,
} from '../test/factories'

const builtin = createBuiltinBackend()

/** The real generator, made to fail the first `failures` calls the way a flaky GPU would. */
function flaky(failures: number, error: () => Error = () => new Error('CUDA out of memory')) {
	let calls = 0
	const backend: Engine & { calls(): number } = {
		info: builtin.info,
		capabilities: builtin.capabilities,
		models: builtin.models,
		async generate(request, options): Promise<GeneratedImage[]> {
			calls += 1
			if (calls <= failures) throw error()
			return builtin.generate(request, options)
		},
		calls: () => calls,
	}
	return backend
}

/** The real generator, stalled until released or aborted: a long job we can catch mid-run. */
function gated() {
	let release!: () => void
	const gate = new Promise<void>((r) => {
		release = r
	})
	let started = 0
	const backend: Engine & { release(): void; started(): number } = {
		info: builtin.info,
		capabilities: builtin.capabilities,
		models: builtin.models,
		async generate(request, options) {
			started += 1
			options.onProgress(0.25)
			await new Promise<void>((resolve, reject) => {
				gate.then(resolve)
				options.signal.addEventListener('abort', () => reject(options.signal.reason), {
					once: true,
				})
			})
			return builtin.generate(request, options)
		},
		release: () => release(),
		started: () => started,
	}
	return backend
}

let tmp: ReturnType<typeof tempDir>
let server: RunningServer

async function setup(backend: Engine, env: Record<string, string> = {}) {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, backend, env })
	const user = await buildUser(server)
	const board = await buildBoard(server, user)
	const submit = async (prompt = 'paper lanterns') => {
		const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, {
			op: 'imagine',
			prompt,
		})
		expect(res.status).toBe(202)
		return res.body.job.id as string
	}
	const node = (jobId: string) =>
		server.ctx.boards.getRecord(board.id, jobShapeIds(jobId).node) as GenerationShape | undefined
	return { user, board, submit, node, client: api(server, user.cookie) }
}

afterEach(async () => {
	await server?.close()
	tmp?.remove()
})

describe('EmbeddedQueue', () => {
	it('retries a failing job with backoff until it succeeds', async () => {
		const backend = flaky(2)
		const { user, board, submit } = await setup(backend)
		const jobId = await submit()
		const job = await waitForJob(server, user, board.id, jobId)
		expect(backend.calls()).toBe(3)
		expect(job.attempts).toBe(3)
		expect(job.images).toHaveLength(4)
	})

	it('fails a job after its last attempt, with the reason on its node', async () => {
		const backend = flaky(99)
		const { user, board, submit, node } = await setup(backend)
		const jobId = await submit()
		const job = await waitForJob(server, user, board.id, jobId, 'failed')
		expect(backend.calls()).toBe(3)
		expect(job.error).toMatch(/CUDA out of memory/)
		expect(node(jobId)?.props).toMatchObject({ status: 'failed', error: 'CUDA out of memory' })
	})

	it('fails an unrecoverable job at once, without retries', async () => {
		const backend = flaky(99, () => new UnrecoverableJobError('prompt refused by policy'))
		const { user, board, submit } = await setup(backend)
		const job = await waitForJob(server, user, board.id, await submit(), 'failed')
		expect(backend.calls()).toBe(1)
		expect(job.attempts).toBe(1)
	})

	it('runs one job at a time by default and shows everyone live queue positions', async () => {
		const backend = gated()
		const { submit, node, user, board } = await setup(backend)
		const watcher = connectBoard(server, board.id, user)
		const first = await submit('one')
		const second = await submit('two')
		await waitFor('first running', () => node(first)?.props.status === 'running')
		expect(backend.started()).toBe(1)
		expect(node(second)?.props.status).toBe('queued')
		const live = await waitFor('progress in awareness', () => {
			for (const state of watcher.provider.awareness.getStates().values()) {
				const parsed = ServerAwarenessSchema.safeParse(state)
				const jobs = parsed.success ? parsed.data.jobs : null
				// Both jobs' entries may arrive in separate awareness updates.
				if (jobs?.[first]?.progress === 0.25 && jobs[second]) return jobs
			}
			return null
		})
		expect(live[first]).toMatchObject({ status: 'running', position: null })
		expect(live[second]).toMatchObject({ status: 'queued', position: 1 })
		expect(live[second].etaMs).toBeGreaterThan(0)
		// Progress is ephemeral: nothing of it is in the doc.
		expect(JSON.stringify(node(first)?.props)).not.toContain('0.25')
		watcher.destroy()
		backend.release()
		await waitFor(
			'both done',
			() => node(first)?.props.status === 'done' && node(second)?.props.status === 'done',
		)
	})

	it('cancels a queued job and a running one, and retries a cancelled one in place', async () => {
		const backend = gated()
		const { user, board, submit, node, client } = await setup(backend)
		const running = await submit('running')
		const queued = await submit('queued')
		await waitFor('running', () => node(running)?.props.status === 'running')

		const c1 = await client.post(`/api/boards/${board.id}/jobs/${queued}/cancel`)
		expect(c1.status).toBe(200)
		expect(c1.body.job.status).toBe('cancelled')
		const c2 = await client.post(`/api/boards/${board.id}/jobs/${running}/cancel`)
		expect(c2.body.job.status).toBe('cancelled')
		await waitFor(
			'nodes cancelled',
			() =>
				node(running)?.props.status === 'cancelled' && node(queued)?.props.status === 'cancelled',
		)
		const again = await client.post(`/api/boards/${board.id}/jobs/${running}/cancel`)
		expect(again.status).toBe(409)

		backend.release()
		const retried = await client.post(`/api/boards/${board.id}/jobs/${queued}/retry`)
		expect(retried.status).toBe(202)
		const job = await waitForJob(server, user, board.id, queued)
		expect(job.images).toHaveLength(4)
		expect(node(queued)?.props.candidates).toHaveLength(4)
		expect((await waitForJob(server, user, board.id, running, 'cancelled')).images).toHaveLength(0)
	})

	it('lets only the job owner or a board owner cancel', async () => {
		const backend = gated()
		const { user, board, submit } = await setup(backend)
		const editor = await buildUser(server, 'Editor')
		await addMember(server, user, board.id, editor, 'editor')
		const jobId = await submit()
		const res = await api(server, editor.cookie).post(
			`/api/boards/${board.id}/jobs/${jobId}/cancel`,
		)
		expect(res.status).toBe(403)
		backend.release()
	})
})
