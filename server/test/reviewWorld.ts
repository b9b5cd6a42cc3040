import { expect } from 'vitest'
import type { Job } from '../../shared/api'
import { ServerAwarenessSchema } from '../../shared/collab'
import { jobShapeIds } from '../../shared/records'
import type { ReviewMarks } from '../../shared/review'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import type { RunningServer } from '../server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitForJob,
} from './factories'
import { buildGuest, buildShareLink } from './sharing'
import { testBackend } from './testBackend'

export let tmp: ReturnType<typeof tempDir>
export let server: RunningServer
export let owner: TestUser
export let editor: TestUser
export let viewer: TestUser
export let guest: TestUser
export let boardId: string
/** A grid of four: the candidates under review. */
export let grid: Job
export const clients: ReturnType<typeof connectBoard>[] = []

export const board = (path = '') => `/api/boards/${boardId}${path}`
export const as = (user: TestUser) => api(server, user.cookie)
export const candidate = (i: number) => grid.images[i].id
export const setDecision = (user: TestUser, imageId: string, state: string) =>
	as(user).raw('PUT', board(`/images/${imageId}/decision`), { state })
export const comment = (user: TestUser, imageId: string, body: string, parentId?: string) =>
	as(user).post(board(`/images/${imageId}/comments`), { body, parentId })
export const resolve = (user: TestUser, commentId: string, resolved: boolean) =>
	as(user).raw('PATCH', board(`/comments/${commentId}`), { resolved })
export const node = (jobId: string) =>
	server.ctx.boards.getRecord(boardId, jobShapeIds(jobId).node) as GenerationShape | undefined
export const balanceOf = async (user: TestUser) =>
	(await as(user).get('/api/me')).body.credits.balance as number

/** The review marks in the server's awareness state, as a board client sees them. */
export function marksSeenBy(client: ReturnType<typeof connectBoard>): ReviewMarks | undefined {
	for (const state of client.provider.awareness.getStates().values()) {
		const parsed = ServerAwarenessSchema.safeParse(state)
		if (parsed.success) return parsed.data.review
	}
	return undefined
}

export function connect(user: TestUser) {
	const client = connectBoard(server, boardId, user)
	clients.push(client)
	return client
}

/** Builds the world: call from `beforeAll`. */
export async function setUpReviewWorld() {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
	owner = await buildUser(server, 'Olivia')
	editor = await buildUser(server, 'Ed')
	viewer = await buildUser(server, 'Vic')
	boardId = (await buildBoard(server, owner)).id
	await addMember(server, owner, boardId, editor, 'editor')
	await addMember(server, owner, boardId, viewer, 'viewer')
	const res = await as(owner).post(board('/jobs'), {
		op: 'imagine',
		prompt: 'a red kite over dunes',
		params: { aspectRatio: '1:1', seed: 3 },
	})
	expect(res.status, JSON.stringify(res.body)).toBe(202)
	grid = await waitForJob(server, owner, boardId, res.body.job.id)

	const link = await buildShareLink(server, owner, boardId, { role: 'client', label: 'Acme' })
	guest = await buildGuest(server, link.token, 'Acme')
}

export async function tearDownReviewWorld() {
	for (const c of clients.splice(0)) c.destroy()
	await server?.close()
	tmp?.remove()
}

/** Stops the server and starts a new one on the same data dir (clients are closed first). */
export async function restartServer() {
	for (const c of clients.splice(0)) c.destroy()
	await server.close()
	server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
}
