import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLOSE_CODES } from '../shared/collab'
import type { RunningServer } from './server'
import { api, buildServer, buildUser, tempDir, waitFor, waitForJob } from './test/factories'
import {
	ACTORS,
	type Actor,
	allowFrom,
	buildMatrix,
	type Expectations,
	expectOutcome,
	type MatrixFixture,
	probeSocket,
	request,
	type SocketOutcome,
} from './test/roleMatrix'
import { buildShareLink } from './test/sharing'
import { type TestBackend, testBackend } from './test/testBackend'

// Who may do what on a board, route by route and on the websocket, for every kind of person:
// owner, editor, viewer, guests of viewer/editor/client links, a stranger, nobody. One row per
// board route; a new route gets a row.

interface Row {
	name: string
	expect: Expectations
	/** Sends the request as `actor` (preparing what it acts on) and resolves the status. */
	call(f: MatrixFixture, actor: Actor): Promise<number>
}

const b = (f: MatrixFixture) => `/api/boards/${f.boardId}`
const canCreateJobs = (actor: Actor) => ['owner', 'editor', 'guestEditor'].includes(actor)

async function startJob(f: MatrixFixture, actor: Actor): Promise<string> {
	const res = await api(f.server, f.cookie(actor)).post(`${b(f)}/jobs`, {
		op: 'imagine',
		prompt: `held job for ${actor}`,
	})
	if (res.status !== 202) throw new Error(`job create failed: ${JSON.stringify(res.body)}`)
	return res.body.job.id
}

async function throwawayMember(f: MatrixFixture) {
	const user = await buildUser(f.server, 'Throwaway')
	await api(f.server, f.users.owner.cookie).post(`${b(f)}/members`, {
		email: user.email,
		role: 'viewer',
	})
	return user
}

let png: Uint8Array<ArrayBuffer>

const ROUTES: Row[] = [
	{
		name: 'GET /boards/:boardId',
		// Clients get the board's name and their client view settings, nothing more.
		expect: allowFrom('viewer', { client: 'ok' }),
		call: (f, a) => request(f, a, 'GET', b(f)),
	},
	{
		name: 'PATCH /boards/:boardId',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'PATCH', b(f), { name: 'Moodboard' }),
	},
	{
		name: 'GET /boards/:boardId/usage',
		expect: allowFrom('editor'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/usage`),
	},
	{
		name: 'GET /boards/:boardId/lineage.json',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/lineage.json`),
	},
	{
		name: 'GET /boards/:boardId/finals',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/finals`),
	},
	{
		name: 'GET /boards/:boardId/finals.zip',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/finals.zip`),
	},
	{
		name: 'GET /boards/:boardId/members',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/members`),
	},
	{
		name: 'POST /boards/:boardId/members',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const user = await buildUser(f.server, 'Invitee')
			return request(f, a, 'POST', `${b(f)}/members`, { email: user.email, role: 'viewer' })
		},
	},
	{
		name: 'PATCH /boards/:boardId/members/:userId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const user = await throwawayMember(f)
			return request(f, a, 'PATCH', `${b(f)}/members/${user.id}`, { role: 'editor' })
		},
	},
	{
		name: 'DELETE /boards/:boardId/members/:userId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const user = await throwawayMember(f)
			return request(f, a, 'DELETE', `${b(f)}/members/${user.id}`)
		},
	},
	{
		name: 'POST /boards/:boardId/jobs',
		expect: allowFrom('editor'),
		call: (f, a) => request(f, a, 'POST', `${b(f)}/jobs`, { op: 'imagine', prompt: 'a heron' }),
	},
	{
		name: 'POST /boards/:boardId/jobs/quote',
		expect: allowFrom('editor'),
		call: (f, a) =>
			request(f, a, 'POST', `${b(f)}/jobs/quote`, { op: 'imagine', prompt: 'a heron' }),
	},
	{
		name: 'GET /boards/:boardId/jobs/:jobId',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/jobs/${f.jobId}`),
	},
	{
		name: 'POST /boards/:boardId/jobs/:jobId/cancel',
		// Editors cancel their own jobs (owners anyone's): each cancels a job of their own.
		expect: allowFrom('editor'),
		call: async (f, a) => {
			const jobId = await startJob(f, canCreateJobs(a) ? a : 'owner')
			return request(f, a, 'POST', `${b(f)}/jobs/${jobId}/cancel`)
		},
	},
	{
		name: 'GET /boards/:boardId/images/:imageId',
		// Clients reach only published images; any other is as missing as a wrong id.
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}`),
	},
	{
		name: 'GET /boards/:boardId/images/:imageId/file',
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/file?size=thumb`),
	},
	{
		name: 'GET /boards/:boardId/images/:imageId/file?size=small',
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/file?size=small`),
	},
	{
		name: 'GET /boards/:boardId/images/:imageId/lineage',
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/lineage`),
	},
	{
		name: 'POST /boards/:boardId/uploads',
		expect: allowFrom('editor'),
		call: async (f, a) => {
			const res = await fetch(`${f.server.url}${b(f)}/uploads?x=0&y=0`, {
				method: 'POST',
				headers: {
					'content-type': 'image/png',
					...(a === 'anonymous' ? {} : { cookie: f.cookie(a) }),
				},
				body: png,
			})
			return res.status
		},
	},
	{
		name: 'GET /boards/:boardId/queue',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/queue`),
	},
	{
		name: 'GET /boards/:boardId/share-links',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/share-links`),
	},
	{
		name: 'POST /boards/:boardId/share-links',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'POST', `${b(f)}/share-links`, { role: 'viewer' }),
	},
	{
		name: 'DELETE /boards/:boardId/share-links/:linkId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const link = await buildShareLink(f.server, f.users.owner, f.boardId, { role: 'viewer' })
			return request(f, a, 'DELETE', `${b(f)}/share-links/${link.id}`)
		},
	},
	{
		name: 'GET /boards/:boardId/review',
		// Clients get the marks and comments of the images they can see (here: none).
		expect: allowFrom('viewer', { client: 'ok' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/review`),
	},
	{
		name: 'GET /boards/:boardId/review/summary',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/review/summary`),
	},
	{
		name: 'GET /boards/:boardId/review.zip',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/review.zip`),
	},
	{
		name: 'PUT /boards/:boardId/images/:imageId/decision',
		expect: allowFrom('editor'),
		call: (f, a) =>
			request(f, a, 'PUT', `${b(f)}/images/${f.imageId}/decision`, { state: 'starred' }),
	},
	{
		name: 'GET /boards/:boardId/images/:imageId/decisions',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/decisions`),
	},
	{
		name: 'GET /boards/:boardId/images/:imageId/comments',
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/comments`),
	},
	{
		name: 'POST /boards/:boardId/images/:imageId/comments',
		expect: allowFrom('editor'),
		call: (f, a) =>
			request(f, a, 'POST', `${b(f)}/images/${f.imageId}/comments`, { body: 'More light' }),
	},
	{
		name: 'PATCH /boards/:boardId/comments/:commentId',
		expect: allowFrom('editor'),
		call: async (f, a) => {
			const res = await api(f.server, f.users.owner.cookie).post(
				`${b(f)}/images/${f.imageId}/comments`,
				{ body: 'Resolve me' },
			)
			return request(f, a, 'PATCH', `${b(f)}/comments/${res.body.comment.id}`, { resolved: true })
		},
	},
	{
		name: 'POST /boards/:boardId/images/:imageId/commit',
		expect: allowFrom('editor'),
		call: async (f, a) => {
			const res = await api(f.server, f.cookie(a)).post(`${b(f)}/images/${f.imageId}/commit`, {})
			// A pick commits once while its upscale is pending: cancel it so the next actor may.
			if (res.status === 202)
				await api(f.server, f.users.owner.cookie).post(`${b(f)}/jobs/${res.body.job.id}/cancel`)
			return res.status
		},
	},
	{
		name: 'GET /boards/:boardId/publications',
		expect: allowFrom('editor'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/publications`),
	},
	{
		name: 'PUT /boards/:boardId/publications/:imageId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const status = await request(f, a, 'PUT', `${b(f)}/publications/${f.imageId}`)
			// Unpublish again: the other rows expect the fixture image hidden from clients.
			await api(f.server, f.users.owner.cookie).raw('DELETE', `${b(f)}/publications/${f.imageId}`)
			return status
		},
	},
	{
		name: 'DELETE /boards/:boardId/publications/:imageId',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'DELETE', `${b(f)}/publications/${f.imageId}`),
	},
	{
		name: 'PATCH /boards/:boardId/client-view',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'PATCH', `${b(f)}/client-view`, { showSeeds: false }),
	},
	{
		name: 'GET /boards/:boardId/audit',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/audit`),
	},
]

/** What a socket opened by each actor with its session cookie gets. */
const SOCKETS: Record<Actor, SocketOutcome> = {
	owner: { connects: true, writes: 'applied' },
	editor: { connects: true, writes: 'applied' },
	viewer: { connects: true, writes: 'dropped' },
	guestViewer: { connects: true, writes: 'dropped' },
	guestEditor: { connects: true, writes: 'applied' },
	// Served the published projection (helper C); never writes the board.
	client: { connects: true, writes: 'dropped' },
	nonMember: { connects: false, code: CLOSE_CODES.forbidden },
	anonymous: { connects: false, code: CLOSE_CODES.unauthenticated },
}

/** Sockets opened with `?share=<token>` and no cookie: the link's role. */
const TOKEN_SOCKETS: Record<'viewer' | 'editor' | 'client', SocketOutcome> = {
	viewer: { connects: true, writes: 'dropped' },
	editor: { connects: true, writes: 'applied' },
	client: { connects: true, writes: 'dropped' },
}

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let backend: TestBackend
let f: MatrixFixture

beforeAll(async () => {
	tmp = tempDir()
	// Gated: jobs stay queued or running (so they can be cancelled) unless released.
	backend = testBackend({ gated: true })
	server = await buildServer({
		dataDir: tmp.dir,
		backend,
		env: { ARBOR_MAX_QUEUED_PER_USER: '200', ARBOR_RATE_LIMIT_PER_MINUTE: '1000' },
	})
	png = new Uint8Array(
		await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a7' } })
			.png()
			.toBuffer(),
	)
	f = await buildMatrix(server, async (owner, boardId) => {
		const res = await api(server, owner.cookie).post(`/api/boards/${boardId}/jobs`, {
			op: 'imagine',
			prompt: 'the fixture',
		})
		await waitFor('the fixture job at the gate', () => backend.waiting() === 1)
		backend.releaseOne()
		const job = await waitForJob(server, owner, boardId, res.body.job.id)
		return { jobId: job.id, imageId: job.images[0].id }
	})
}, 60_000)

afterAll(async () => {
	backend.open()
	await server.close()
	tmp.remove()
})

describe('role matrix: HTTP', () => {
	for (const row of ROUTES)
		describe(row.name, () => {
			for (const actor of ACTORS)
				it(`${actor} → ${row.expect[actor]}`, async () => {
					expectOutcome(await row.call(f, actor), row.expect[actor], `${row.name} as ${actor}`)
				})
		})

	it('covers every actor in every row', () => {
		for (const row of ROUTES) expect(Object.keys(row.expect).sort()).toEqual([...ACTORS].sort())
	})
})

describe('role matrix: websocket', () => {
	for (const actor of ACTORS)
		it(`${actor} with a session cookie → ${JSON.stringify(SOCKETS[actor])}`, async () => {
			const cookie = f.cookie(actor) || undefined
			expect(await probeSocket(f, { cookie })).toEqual(SOCKETS[actor])
		})

	for (const [role, outcome] of Object.entries(TOKEN_SOCKETS))
		it(`a ${role} link token, no cookie → ${JSON.stringify(outcome)}`, async () => {
			const share = f.tokens[role as keyof typeof TOKEN_SOCKETS]
			expect(await probeSocket(f, { share })).toEqual(outcome)
		})
})
