import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerAwarenessSchema } from '../../shared/collab'
import type { RunningServer } from '../server'
import {
	api,
	buildBoard,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from '../test/factories'
import {
	buildQueueServer,
	dropPrefix,
	spawnWorker,
	uniquePrefix,
	type WorkerProcess,
} from '../test/queueMode'

// Queue mode routes by model: two real `npm run worker` processes run the builtin engine under
// different model names (ARBOR_BUILTIN_MODEL); each job reaches only a worker serving its model,
// and a job for a model nobody serves says so on its node instead of waiting silently.

describe('routing by model in queue mode', () => {
	const tmp = tempDir()
	const prefix = uniquePrefix()
	let server: RunningServer
	let owner: TestUser
	let boardId: string
	const workers: WorkerProcess[] = []

	beforeAll(async () => {
		server = await buildQueueServer({ dataDir: tmp.dir, prefix })
		const [alpha, beta] = await Promise.all(
			['alpha', 'beta'].map((model) =>
				spawnWorker({
					serverUrl: server.url,
					prefix,
					env: {
						ARBOR_BUILTIN_MODEL: `painter-${model}`,
						ARBOR_WORKER_ID: `worker-${model}`,
						ARBOR_BUILTIN_DELAY_MS: '1200',
					},
				}),
			),
		)
		workers.push(alpha, beta)
		owner = await buildUser(server, 'Rita')
		boardId = (await buildBoard(server, owner)).id
	}, 120_000)
	afterAll(async () => {
		for (const worker of workers) await worker.stop('SIGKILL')
		await server.close()
		await dropPrefix(prefix)
		tmp.remove()
	})

	const create = async (model: string, prompt: string) => {
		const res = await api(server, owner.cookie).post(`/api/boards/${boardId}/jobs`, {
			op: 'imagine',
			prompt,
			model,
			params: { aspectRatio: '1:1' },
		})
		expect(res.status).toBe(202)
		expect(res.body.job.model).toBe(model)
		return res.body.job.id as string
	}

	it('lists the models online, then sends each job only to a worker serving its model', async () => {
		const listed = await waitFor('both models online', async () => {
			const res = await api(server, owner.cookie).get('/api/models')
			const ids = (res.body.models as { id: string }[]).map((m) => m.id)
			return ids.includes('painter-alpha') && ids.includes('painter-beta') ? res.body.models : null
		})
		expect(listed.find((m: { id: string }) => m.id === 'painter-alpha')).toMatchObject({
			engine: 'builtin',
			workers: 1,
			price: expect.any(Number),
		})

		const client = connectBoard(server, boardId, owner)
		const previewed = new Set<string>()
		client.provider.awareness.on('change', () => {
			for (const state of client.provider.awareness.getStates().values()) {
				const parsed = ServerAwarenessSchema.safeParse(state)
				if (!parsed.success) continue
				for (const [jobId, live] of Object.entries(parsed.data.jobs))
					if (live.preview !== undefined) previewed.add(jobId)
			}
		})
		try {
			const jobs = [
				{ model: 'painter-alpha', id: await create('painter-alpha', 'a red barn') },
				{ model: 'painter-beta', id: await create('painter-beta', 'a blue lake') },
				{ model: 'painter-alpha', id: await create('painter-alpha', 'a red kite') },
				{ model: 'painter-beta', id: await create('painter-beta', 'a blue whale') },
			]
			for (const job of jobs) {
				const done = await waitForJob(server, owner, boardId, job.id, 'done', 90_000)
				const image = await api(server, owner.cookie).get(
					`/api/boards/${boardId}/images/${done.images[0].id}`,
				)
				const worker = job.model === 'painter-alpha' ? 'worker-alpha' : 'worker-beta'
				expect(image.body.image.worker.id).toBe(worker)
				expect(image.body.image.model).toBe(job.model)
				expect(image.body.image.requestedModel).toBe(job.model)
			}
			// Previews travel from worker processes too (internal API → awareness).
			expect(previewed.size).toBeGreaterThan(0)

			// The board remembers the last model picked; a vary keeps its parent's model.
			const board = await api(server, owner.cookie).get(`/api/boards/${boardId}`)
			expect(board.body.board.defaultModel).toBe('painter-beta')
			const parent = await waitForJob(server, owner, boardId, jobs[0].id)
			const vary = await api(server, owner.cookie).post(`/api/boards/${boardId}/jobs`, {
				op: 'vary',
				parentImageId: parent.images[0].id,
				params: { strength: 'subtle' },
			})
			expect(vary.body.job.model).toBe('painter-alpha')
			const varied = await waitForJob(server, owner, boardId, vary.body.job.id, 'done', 90_000)
			const variedImage = await api(server, owner.cookie).get(
				`/api/boards/${boardId}/images/${varied.images[0].id}`,
			)
			expect(variedImage.body.image.worker.id).toBe('worker-alpha')
		} finally {
			client.destroy()
		}
	}, 240_000)

	it('reports "no worker serves" on the node of a job for a model nobody serves', async () => {
		const client = connectBoard(server, boardId, owner)
		try {
			const jobId = await create('painter-gamma', 'a green field')
			const live = await waitFor('the unserved notice on awareness', () => {
				for (const state of client.provider.awareness.getStates().values()) {
					const parsed = ServerAwarenessSchema.safeParse(state)
					const job = parsed.success ? parsed.data.jobs[jobId] : undefined
					if (job?.unservedModel) return job
				}
				return null
			})
			expect(live).toMatchObject({ status: 'queued', unservedModel: 'painter-gamma' })
			const job = await api(server, owner.cookie).get(`/api/boards/${boardId}/jobs/${jobId}`)
			expect(job.body.job.status).toBe('queued')
			await api(server, owner.cookie).post(`/api/boards/${boardId}/jobs/${jobId}/cancel`)
		} finally {
			client.destroy()
		}
	})
})
