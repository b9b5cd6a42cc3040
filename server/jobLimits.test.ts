import { afterAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server'
import { api, buildBoard, buildServer, buildUser, type TestUser, tempDir } from './test/factories'
import { buildGuest, buildShareLink } from './test/sharing'
import { testBackend } from './test/testBackend'

// The unfinished-jobs cap and the start rate hold however a job starts (a retry is a start), and
// count on whoever pays as well as on the person: an editor link's guests, a fresh identity per
// join, share their link creator's limits.

const servers: RunningServer[] = []
afterAll(async () => {
	for (const s of servers) await s.close()
})

async function world(env: Record<string, string>) {
	const backend = testBackend({ gated: true })
	const server = await buildServer({ dataDir: tempDir().dir, backend, env })
	servers.push(server)
	const owner = await buildUser(server, 'Owner')
	const boardId = (await buildBoard(server, owner)).id
	const start = (user: TestUser) =>
		api(server, user.cookie).post(`/api/boards/${boardId}/jobs`, { op: 'imagine', prompt: 'a fox' })
	const cancel = (user: TestUser, jobId: string) =>
		api(server, user.cookie).post(`/api/boards/${boardId}/jobs/${jobId}/cancel`)
	const retry = (user: TestUser, jobId: string) =>
		api(server, user.cookie).post(`/api/boards/${boardId}/jobs/${jobId}/retry`)
	return { server, owner, boardId, start, cancel, retry }
}

describe('job limits', () => {
	it('count a retry against the unfinished-jobs cap', async () => {
		const w = await world({ ARBOR_MAX_RUNNING_PER_USER: '1', ARBOR_MAX_QUEUED_PER_USER: '1' })
		const first = (await w.start(w.owner)).body.job.id
		await w.cancel(w.owner, first)
		expect((await w.start(w.owner)).status).toBe(202)
		expect((await w.start(w.owner)).status).toBe(202)
		const res = await w.retry(w.owner, first)
		expect(res.status).toBe(429)
		expect(res.body.error.code).toBe('too_many_jobs')
	})

	it('count a retry against the start rate', async () => {
		const w = await world({ ARBOR_RATE_LIMIT_PER_MINUTE: '3' })
		const job = (await w.start(w.owner)).body.job.id
		const statuses: number[] = []
		for (let i = 0; i < 3; i++) {
			await w.cancel(w.owner, job)
			statuses.push((await w.retry(w.owner, job)).status)
		}
		expect(statuses).toEqual([202, 202, 429])
	})

	it('count an editor link’s guests on the link creator, whatever identity they join as', async () => {
		const w = await world({ ARBOR_MAX_RUNNING_PER_USER: '1', ARBOR_MAX_QUEUED_PER_USER: '1' })
		const link = await buildShareLink(w.server, w.owner, w.boardId, { role: 'editor' })
		const statuses: number[] = []
		for (let i = 0; i < 3; i++) {
			const guest = await buildGuest(w.server, link.token, `Guest ${i}`)
			statuses.push((await w.start(guest)).status)
		}
		expect(statuses).toEqual([202, 202, 429])
	})
})
