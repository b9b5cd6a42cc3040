import { expect } from 'vitest'
import type { Job } from '../../shared/api'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import { api, connectBoard, type TestUser, waitFor } from './factories'

/** Submits `count` imagine jobs; returns their ids in order. */
export async function submitMany(
	server: { url: string },
	user: TestUser,
	boardId: string,
	count: number,
	prompt = 'storm over a harbour',
): Promise<string[]> {
	const ids: string[] = []
	for (let i = 0; i < count; i++) {
		const res = await api(server, user.cookie).post(`/api/boards/${boardId}/jobs`, {
			op: 'imagine',
			prompt: `${prompt} ${i}`,
		})
		if (res.status !== 202) throw new Error(`submit failed: ${JSON.stringify(res.body)}`)
		ids.push(res.body.job.id)
	}
	return ids
}

export async function jobsOf(
	server: { url: string },
	user: TestUser,
	boardId: string,
	ids: string[],
): Promise<Job[]> {
	return Promise.all(
		ids.map(async (id) => {
			const res = await api(server, user.cookie).get(`/api/boards/${boardId}/jobs/${id}`)
			return res.body.job as Job
		}),
	)
}

export function waitAllDone(
	server: { url: string },
	user: TestUser,
	boardId: string,
	ids: string[],
	timeoutMs: number,
) {
	return waitFor(
		`all ${ids.length} jobs done`,
		async () => {
			const jobs = await jobsOf(server, user, boardId, ids)
			return jobs.every((j) => j.status === 'done') ? jobs : null
		},
		timeoutMs,
	)
}

/**
 * Every job is done exactly once: four images each in the record, and on a freshly connected
 * client exactly one finished node per job showing exactly those images.
 */
export async function expectExactlyOnce(
	server: { url: string },
	user: TestUser,
	boardId: string,
	ids: string[],
) {
	const jobs = await jobsOf(server, user, boardId, ids)
	for (const job of jobs) {
		expect(job.status).toBe('done')
		expect(job.images.map((i) => i.index)).toEqual([0, 1, 2, 3])
	}
	const allImages = jobs.flatMap((j) => j.images.map((i) => i.id))
	expect(new Set(allImages).size).toBe(ids.length * 4)

	const viewer = connectBoard(server, boardId, user)
	try {
		await waitFor('synced', () => viewer.provider.synced)
		const nodes = viewer
			.all()
			.filter((r) => r.typeName === 'shape' && r.type === GENERATION_SHAPE) as GenerationShape[]
		expect(nodes).toHaveLength(ids.length)
		for (const job of jobs) {
			const shown = nodes.filter((n) => n.props.jobId === job.id)
			expect(shown).toHaveLength(1)
			expect(shown[0].props.status).toBe('done')
			expect(shown[0].props.candidates.map((c) => c.imageId)).toEqual(job.images.map((i) => i.id))
		}
	} finally {
		viewer.destroy()
	}
}
