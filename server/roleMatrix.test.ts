import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLOSE_CODES } from '../shared/collab'
import { createApp } from './app'
import type { RunningServer } from './server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	tempDir,
	waitFor,
	waitForJob,
} from './test/factories'
import {
	ACTORS,
	type Actor,
	accountsOnly,
	adminOnly,
	allowFrom,
	buildMatrix,
	type Expectations,
	everyone,
	expectOutcome,
	type MatrixFixture,
	probeSocket,
	request,
	type SocketOutcome,
	signedIn,
} from './test/roleMatrix'
import { buildGuest, buildShareLink } from './test/sharing'
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
	await addMember(f.server, f.users.owner, f.boardId, user, 'viewer')
	return user
}

/**
 * An invitation pending for the actor (for an account, to its email; for anyone else, to an email
 * nobody has), to a board of someone else's, so accepting it changes nothing the other rows use.
 */
async function pendingInvitation(f: MatrixFixture, actor: Actor): Promise<string> {
	const host = await buildUser(f.server, 'Host')
	const board = await buildBoard(f.server, host, 'Invitations')
	const accounts: Actor[] = ['owner', 'editor', 'viewer', 'nonMember']
	const email = accounts.includes(actor)
		? f.users[actor as 'owner'].email
		: `nobody-${actor}@example.com`
	const res = await api(f.server, host.cookie).post(`/api/boards/${board.id}/members`, {
		email,
		role: 'viewer',
	})
	if (res.status !== 201) throw new Error(`invite failed: ${JSON.stringify(res.body)}`)
	return res.body.invitation.id
}

/** A new session of the same kind as the actor's (a dead or no session stays what it is). */
async function secondSession(f: MatrixFixture, actor: Actor): Promise<string | undefined> {
	const links = { guestViewer: 'viewer', guestEditor: 'editor', client: 'client' } as const
	if (actor === 'guestViewer' || actor === 'guestEditor' || actor === 'client')
		return (await buildGuest(f.server, f.tokens[links[actor]], 'Second guest')).cookie
	if (actor === 'anonymous' || actor === 'revokedGuest' || actor === 'expiredGuest')
		return f.cookie(actor) || undefined
	const res = await api(f.server).post('/api/auth/login', {
		email: f.users[actor].email,
		password: f.password,
	})
	return res.headers.get('set-cookie')?.split(';')[0]
}

let png: Uint8Array<ArrayBuffer>

const ROUTES: Row[] = [
	{
		name: 'GET /api/boards/:boardId',
		// Clients get the board's name and their client view settings, nothing more.
		expect: allowFrom('viewer', { client: 'ok' }),
		call: (f, a) => request(f, a, 'GET', b(f)),
	},
	{
		name: 'PATCH /api/boards/:boardId',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'PATCH', b(f), { name: 'Moodboard' }),
	},
	{
		name: 'GET /api/boards/:boardId/usage',
		expect: allowFrom('editor'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/usage`),
	},
	{
		name: 'GET /api/boards/:boardId/lineage.json',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/lineage.json`),
	},
	{
		name: 'GET /api/boards/:boardId/finals',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/finals`),
	},
	{
		name: 'GET /api/boards/:boardId/finals.zip',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/finals.zip`),
	},
	{
		name: 'GET /api/boards/:boardId/members',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/members`),
	},
	{
		name: 'POST /api/boards/:boardId/members',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const user = await buildUser(f.server, 'Invitee')
			return request(f, a, 'POST', `${b(f)}/members`, { email: user.email, role: 'viewer' })
		},
	},
	{
		name: 'GET /api/boards/:boardId/invitations',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/invitations`),
	},
	{
		name: 'DELETE /api/boards/:boardId/invitations/:invitationId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const res = await api(f.server, f.users.owner.cookie).post(`${b(f)}/members`, {
				email: `withdrawn-${a}@example.com`,
				role: 'viewer',
			})
			return request(f, a, 'DELETE', `${b(f)}/invitations/${res.body.invitation.id}`)
		},
	},
	{
		name: 'PATCH /api/boards/:boardId/members/:userId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const user = await throwawayMember(f)
			return request(f, a, 'PATCH', `${b(f)}/members/${user.id}`, { role: 'editor' })
		},
	},
	{
		name: 'DELETE /api/boards/:boardId/members/:userId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const user = await throwawayMember(f)
			return request(f, a, 'DELETE', `${b(f)}/members/${user.id}`)
		},
	},
	{
		name: 'POST /api/boards/:boardId/jobs',
		expect: allowFrom('editor'),
		call: (f, a) => request(f, a, 'POST', `${b(f)}/jobs`, { op: 'imagine', prompt: 'a heron' }),
	},
	{
		name: 'POST /api/boards/:boardId/jobs/quote',
		expect: allowFrom('editor'),
		call: (f, a) =>
			request(f, a, 'POST', `${b(f)}/jobs/quote`, { op: 'imagine', prompt: 'a heron' }),
	},
	{
		name: 'GET /api/boards/:boardId/jobs/:jobId',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/jobs/${f.jobId}`),
	},
	{
		name: 'GET /api/boards/:boardId/jobs/:jobId/preview',
		expect: allowFrom('viewer'),
		call: async (f, a) => {
			// A live preview, as the job's engine would have sent it while running.
			f.server.ctx.previews.put(f.jobId, png)
			await waitFor('the preview', () => f.server.ctx.previews.get(f.jobId))
			return request(f, a, 'GET', `${b(f)}/jobs/${f.jobId}/preview`)
		},
	},
	{
		name: 'POST /api/boards/:boardId/jobs/:jobId/cancel',
		// Editors cancel their own jobs (owners anyone's): each cancels a job of their own.
		expect: allowFrom('editor'),
		call: async (f, a) => {
			const jobId = await startJob(f, canCreateJobs(a) ? a : 'owner')
			return request(f, a, 'POST', `${b(f)}/jobs/${jobId}/cancel`)
		},
	},
	{
		name: 'GET /api/boards/:boardId/images/:imageId',
		// Clients reach only published images; any other is as missing as a wrong id.
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}`),
	},
	{
		name: 'GET /api/boards/:boardId/images/:imageId/file',
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/file?size=thumb`),
	},
	{
		name: 'GET /api/boards/:boardId/images/:imageId/file?size=small',
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/file?size=small`),
	},
	{
		name: 'GET /api/boards/:boardId/images/:imageId/lineage',
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/lineage`),
	},
	{
		name: 'POST /api/boards/:boardId/uploads',
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
		name: 'POST /api/boards/:boardId/jobs/:jobId/retry',
		// Editors retry their own failed or cancelled jobs: each retries a cancelled one of theirs.
		expect: allowFrom('editor'),
		call: async (f, a) => {
			const owner = canCreateJobs(a) ? a : 'owner'
			const jobId = await startJob(f, owner)
			await api(f.server, f.cookie(owner)).post(`${b(f)}/jobs/${jobId}/cancel`)
			const status = await request(f, a, 'POST', `${b(f)}/jobs/${jobId}/retry`)
			if (status === 202) await api(f.server, f.cookie(owner)).post(`${b(f)}/jobs/${jobId}/cancel`)
			return status
		},
	},
	{
		name: 'GET /api/boards/:boardId/queue',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/queue`),
	},
	{
		name: 'GET /api/boards/:boardId/share-links',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/share-links`),
	},
	{
		name: 'POST /api/boards/:boardId/share-links',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'POST', `${b(f)}/share-links`, { role: 'viewer' }),
	},
	{
		name: 'DELETE /api/boards/:boardId/share-links/:linkId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const link = await buildShareLink(f.server, f.users.owner, f.boardId, { role: 'viewer' })
			return request(f, a, 'DELETE', `${b(f)}/share-links/${link.id}`)
		},
	},
	{
		name: 'GET /api/boards/:boardId/review',
		// Clients get the marks and comments of the images they can see (here: none).
		expect: allowFrom('viewer', { client: 'ok' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/review`),
	},
	{
		name: 'GET /api/boards/:boardId/review/summary',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/review/summary`),
	},
	{
		name: 'GET /api/boards/:boardId/review.zip',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/review.zip`),
	},
	{
		name: 'PUT /api/boards/:boardId/images/:imageId/decision',
		expect: allowFrom('editor'),
		call: (f, a) =>
			request(f, a, 'PUT', `${b(f)}/images/${f.imageId}/decision`, { state: 'starred' }),
	},
	{
		name: 'GET /api/boards/:boardId/images/:imageId/decisions',
		expect: allowFrom('viewer'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/decisions`),
	},
	{
		name: 'GET /api/boards/:boardId/images/:imageId/comments',
		expect: allowFrom('viewer', { client: 'hidden' }),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/images/${f.imageId}/comments`),
	},
	{
		name: 'POST /api/boards/:boardId/images/:imageId/comments',
		expect: allowFrom('editor'),
		call: (f, a) =>
			request(f, a, 'POST', `${b(f)}/images/${f.imageId}/comments`, { body: 'More light' }),
	},
	{
		name: 'PATCH /api/boards/:boardId/comments/:commentId',
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
		name: 'POST /api/boards/:boardId/images/:imageId/commit',
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
		name: 'GET /api/boards/:boardId/publications',
		expect: allowFrom('editor'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/publications`),
	},
	{
		name: 'PUT /api/boards/:boardId/publications/:imageId',
		expect: allowFrom('owner'),
		call: async (f, a) => {
			const status = await request(f, a, 'PUT', `${b(f)}/publications/${f.imageId}`)
			// Unpublish again: the other rows expect the fixture image hidden from clients.
			await api(f.server, f.users.owner.cookie).raw('DELETE', `${b(f)}/publications/${f.imageId}`)
			return status
		},
	},
	{
		name: 'DELETE /api/boards/:boardId/publications/:imageId',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'DELETE', `${b(f)}/publications/${f.imageId}`),
	},
	{
		name: 'PATCH /api/boards/:boardId/client-view',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'PATCH', `${b(f)}/client-view`, { showSeeds: false }),
	},
	{
		name: 'GET /api/boards/:boardId/audit',
		expect: allowFrom('owner'),
		call: (f, a) => request(f, a, 'GET', `${b(f)}/audit`),
	},
	// Outside any board. A guest's access is their link's board: every route here that is not
	// about their own session answers 403 to them.
	{
		name: 'GET /api/boards',
		expect: accountsOnly(),
		call: (f, a) => request(f, a, 'GET', '/api/boards'),
	},
	{
		name: 'POST /api/boards',
		expect: accountsOnly(),
		call: (f, a) => request(f, a, 'POST', '/api/boards', { name: `Board of ${a}` }),
	},
	{
		name: 'GET /api/invitations',
		expect: accountsOnly(),
		call: (f, a) => request(f, a, 'GET', '/api/invitations'),
	},
	{
		name: 'POST /api/invitations/:invitationId/accept',
		// Each account accepts one addressed to it; guests and the signed-out never reach one.
		expect: accountsOnly(),
		call: async (f, a) =>
			request(f, a, 'POST', `/api/invitations/${await pendingInvitation(f, a)}/accept`),
	},
	{
		name: 'POST /api/invitations/:invitationId/decline',
		expect: accountsOnly(),
		call: async (f, a) =>
			request(f, a, 'POST', `/api/invitations/${await pendingInvitation(f, a)}/decline`),
	},
	{
		name: 'GET /api/me',
		// A guest's client asks who it is (and learns it is a guest).
		expect: signedIn(),
		call: (f, a) => request(f, a, 'GET', '/api/me'),
	},
	{
		name: 'GET /api/me/usage',
		expect: accountsOnly(),
		call: (f, a) => request(f, a, 'GET', '/api/me/usage'),
	},
	{
		name: 'GET /api/admin/users',
		expect: adminOnly(),
		call: (f, a) => request(f, a, 'GET', '/api/admin/users'),
	},
	{
		name: 'POST /api/admin/users/:userId/credits',
		expect: adminOnly(),
		call: (f, a) =>
			request(f, a, 'POST', `/api/admin/users/${f.users.nonMember.id}/credits`, { amount: 1 }),
	},
	{
		name: 'PATCH /api/admin/users/:userId',
		expect: adminOnly(),
		call: (f, a) =>
			request(f, a, 'PATCH', `/api/admin/users/${f.users.nonMember.id}`, {
				monthlyAllowance: null,
			}),
	},
	{
		name: 'GET /api/admin/policy',
		expect: adminOnly(),
		call: (f, a) => request(f, a, 'GET', '/api/admin/policy'),
	},
	{
		name: 'POST /api/admin/policy',
		expect: adminOnly(),
		call: (f, a) =>
			request(f, a, 'POST', '/api/admin/policy', { kind: 'term', value: `banned-by-${a}` }),
	},
	{
		name: 'DELETE /api/admin/policy/:ruleId',
		expect: adminOnly(),
		call: async (f, a) => {
			const res = await api(f.server, f.users.owner.cookie).post('/api/admin/policy', {
				kind: 'term',
				value: `doomed-${a}`,
			})
			return request(f, a, 'DELETE', `/api/admin/policy/${res.body.rule.id}`)
		},
	},
	{
		name: 'GET /api/admin/workflows',
		expect: adminOnly(),
		call: (f, a) => request(f, a, 'GET', '/api/admin/workflows'),
	},
	{
		// The matrix has no ComfyUI to check a graph against: the admin gets past the guard and is
		// told so (422); everyone else is stopped first. Saving is proven in workflows.test.ts.
		name: 'PUT /api/admin/workflows/:op',
		expect: { ...adminOnly(), owner: 'unprocessable' },
		call: (f, a) =>
			request(f, a, 'PUT', '/api/admin/workflows/imagine', {
				name: `by ${a}`,
				graph: { '1': { class_type: 'SaveImage', inputs: {} } },
				bindings: { prompt: { node: '1', input: 'filename_prefix' } },
			}),
	},
	{
		// None registered: the admin is told there is nothing to remove (404).
		name: 'DELETE /api/admin/workflows/:op',
		expect: { ...adminOnly(), owner: 'hidden' },
		call: (f, a) => request(f, a, 'DELETE', '/api/admin/workflows/imagine'),
	},
	{
		name: 'GET /api/admin/model-prices',
		expect: adminOnly(),
		call: (f, a) => request(f, a, 'GET', '/api/admin/model-prices'),
	},
	{
		// Sets a price on a model no engine here serves, so no other row's charge changes.
		name: 'PUT /api/admin/model-prices',
		expect: adminOnly(),
		call: (f, a) =>
			request(f, a, 'PUT', '/api/admin/model-prices', { model: `priced-by-${a}`, price: 9 }),
	},
	{
		name: 'GET /api/ops',
		expect: everyone(),
		call: (f, a) => request(f, a, 'GET', '/api/ops'),
	},
	{
		name: 'GET /api/engines',
		expect: everyone(),
		call: (f, a) => request(f, a, 'GET', '/api/engines'),
	},
	{
		name: 'GET /api/models',
		expect: signedIn(),
		call: (f, a) => request(f, a, 'GET', '/api/models'),
	},
	{
		name: 'GET /api/health',
		expect: everyone(),
		call: (f, a) => request(f, a, 'GET', '/api/health'),
	},
	{
		name: 'POST /api/auth/signup',
		// Anyone may open an account (a guest too: that is how they keep their work).
		expect: everyone(),
		call: (f, a) =>
			request(f, a, 'POST', '/api/auth/signup', {
				email: `signup-${a}-${Date.now()}@example.com`,
				password: f.password,
				name: `Signed up as ${a}`,
			}),
	},
	{
		name: 'POST /api/auth/login',
		expect: everyone(),
		call: (f, a) =>
			request(f, a, 'POST', '/api/auth/login', {
				email: f.users.nonMember.email,
				password: f.password,
			}),
	},
	{
		name: 'POST /api/auth/logout',
		// Signing out never needs a session; each live actor signs out a second session of its own.
		expect: everyone(),
		call: async (f, a) => {
			const cookie = await secondSession(f, a)
			return (await api(f.server, cookie).raw('POST', '/api/auth/logout')).status
		},
	},
	{
		name: 'GET /api/share/:token',
		// The token is the credential.
		expect: everyone(),
		call: (f, a) => request(f, a, 'GET', `/api/share/${f.tokens.viewer}`),
	},
	{
		name: 'POST /api/share/:token/join',
		// Members keep who they are (200); anyone else becomes a new guest of the link (201).
		expect: everyone(),
		call: (f, a) => request(f, a, 'POST', `/api/share/${f.tokens.viewer}/join`, { name: a }),
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
	revokedGuest: { connects: false, code: CLOSE_CODES.unauthenticated },
	expiredGuest: { connects: false, code: CLOSE_CODES.unauthenticated },
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

	// `/internal` (worker token) and `/metrics` answer to other credentials, tested on their own.
	it('has a row for every API route the app serves', () => {
		const served = createApp(server.ctx)
			.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
			.map((r) => `${r.method} ${r.path}`)
		const rows = new Set(ROUTES.map((r) => r.name.split('?')[0]))
		expect([...new Set(served)].filter((route) => !rows.has(route))).toEqual([])
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
