import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROMPT_MAX_LENGTH } from '../shared/ops/params'
import { jobs } from './db/schema'
import type { RunningServer } from './server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	type TestUser,
	tempDir,
	waitForJob,
} from './test/factories'

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let viewer: TestUser
let stranger: TestUser
let boardId: string
let otherBoardImageId: string

const jobCount = () => server.ctx.db.select().from(jobs).all().length

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
	owner = await buildUser(server, 'Owner')
	viewer = await buildUser(server, 'Viewer')
	stranger = await buildUser(server, 'Stranger')
	boardId = (await buildBoard(server, owner)).id
	await addMember(server, owner, boardId, viewer, 'viewer')
	const other = await buildBoard(server, stranger, 'Elsewhere')
	const res = await api(server, stranger.cookie).post(`/api/boards/${other.id}/jobs`, {
		op: 'imagine',
		prompt: 'a red kite',
	})
	const job = await waitForJob(server, stranger, other.id, res.body.job.id)
	otherBoardImageId = job.images[0].id
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

describe('bad job requests get a 4xx with a code and change nothing', () => {
	const cases: [string, unknown, number, string, RegExp][] = [
		[
			'an oversized prompt',
			{ op: 'imagine', prompt: 'x'.repeat(PROMPT_MAX_LENGTH + 1) },
			400,
			'validation_failed',
			/prompt is longer/,
		],
		[
			'an empty prompt',
			{ op: 'imagine', prompt: '   ' },
			400,
			'validation_failed',
			/prompt is empty/,
		],
		[
			'an unknown op',
			{ op: 'paint', prompt: 'x' },
			400,
			'validation_failed',
			/op must be one of: imagine, reroll, vary, remix, zoom_out, pan, upscale/,
		],
		['no op', { prompt: 'x' }, 400, 'validation_failed', /op/],
		[
			'an unknown param',
			{ op: 'imagine', prompt: 'x', params: { steps: 50 } },
			400,
			'validation_failed',
			/steps/,
		],
		[
			'a bad aspect ratio',
			{ op: 'imagine', prompt: 'x', params: { aspectRatio: '5:1' } },
			400,
			'validation_failed',
			/aspectRatio/,
		],
		[
			'a bad strength',
			{ op: 'vary', parentImageId: 'img_abcdefgh', params: { strength: 'huge' } },
			400,
			'validation_failed',
			/strength/,
		],
		[
			'a malformed image id',
			{ op: 'vary', parentImageId: '../../etc', params: { strength: 'subtle' } },
			400,
			'validation_failed',
			/parentImageId/,
		],
		[
			'an unknown parent image',
			{ op: 'vary', parentImageId: 'img_doesnotexist1', params: { strength: 'subtle' } },
			404,
			'not_found',
			/parent image/,
		],
	]
	for (const [what, body, status, code, message] of cases) {
		it(`refuses ${what}`, async () => {
			const before = jobCount()
			const res = await api(server, owner.cookie).post(`/api/boards/${boardId}/jobs`, body)
			expect(res.status).toBe(status)
			expect(res.body.error.code).toBe(code)
			expect(res.body.error.message).toMatch(message)
			expect(jobCount()).toBe(before)
		})
	}

	it('refuses an image of another board as if it did not exist', async () => {
		const before = jobCount()
		const res = await api(server, owner.cookie).post(`/api/boards/${boardId}/jobs`, {
			op: 'vary',
			parentImageId: otherBoardImageId,
			params: { strength: 'subtle' },
		})
		expect(res.status).toBe(404)
		expect(res.body.error.code).toBe('not_found')
		expect(jobCount()).toBe(before)
		const read = await api(server, owner.cookie).get(
			`/api/boards/${boardId}/images/${otherBoardImageId}`,
		)
		expect(read.status).toBe(404)
	})

	it('refuses malformed JSON and oversized bodies', async () => {
		const bad = await api(server, owner.cookie).raw('POST', `/api/boards/${boardId}/jobs`, '{"op":')
		expect(bad.status).toBe(400)
		expect(bad.body.error.code).toBe('bad_request')
		const huge = await api(server, owner.cookie).post(`/api/boards/${boardId}/jobs`, {
			op: 'imagine',
			prompt: 'y'.repeat(100_000),
		})
		expect(huge.status).toBe(413)
		expect(huge.body.error.code).toBe('payload_too_large')
	})

	it('refuses jobs from viewers, strangers and the signed-out', async () => {
		const body = { op: 'imagine', prompt: 'a blue door' }
		const before = jobCount()
		const asViewer = await api(server, viewer.cookie).post(`/api/boards/${boardId}/jobs`, body)
		expect(asViewer.status).toBe(403)
		expect(asViewer.body.error.code).toBe('forbidden')
		const asStranger = await api(server, stranger.cookie).post(`/api/boards/${boardId}/jobs`, body)
		expect(asStranger.status).toBe(403)
		const signedOut = await api(server).post(`/api/boards/${boardId}/jobs`, body)
		expect(signedOut.status).toBe(401)
		expect(signedOut.body.error.code).toBe('unauthenticated')
		expect(jobCount()).toBe(before)
	})

	it('answers unknown boards, jobs and endpoints with 404', async () => {
		const c = api(server, owner.cookie)
		expect((await c.get('/api/boards/brd_nosuchboard1')).status).toBe(404)
		expect((await c.get(`/api/boards/${boardId}/jobs/job_nosuchjob123`)).status).toBe(404)
		expect((await c.get(`/api/boards/${boardId}/jobs/not-an-id`)).status).toBe(404)
		const nope = await c.get('/api/nothing-here')
		expect(nope.status).toBe(404)
		expect(nope.body.error.code).toBe('not_found')
	})
})

describe('accounts and boards', () => {
	it('refuses bad sign-ups and wrong passwords without revealing which part was wrong', async () => {
		const c = api(server)
		const short = await c.post('/api/auth/signup', {
			email: 'a@b.co',
			password: 'short',
			name: 'A',
		})
		expect(short.status).toBe(400)
		expect(short.body.error.message).toMatch(/password/)
		const dup = await c.post('/api/auth/signup', {
			email: owner.email,
			password: 'long enough 1',
			name: 'B',
		})
		expect(dup.status).toBe(409)
		const wrong = await c.post('/api/auth/login', { email: owner.email, password: 'not it at all' })
		const unknown = await c.post('/api/auth/login', {
			email: 'nobody@example.com',
			password: 'whatever1',
		})
		expect(wrong.status).toBe(401)
		expect(unknown.status).toBe(401)
		expect(wrong.body.error.message).toBe(unknown.body.error.message)
	})

	it('signs in with an HttpOnly SameSite=Lax cookie and signs out', async () => {
		const c = api(server)
		const res = await c.post('/api/auth/login', {
			email: owner.email,
			password: 'correct horse battery',
		})
		expect(res.status).toBe(200)
		const setCookie = res.headers.get('set-cookie')!
		expect(setCookie).toMatch(/HttpOnly/)
		expect(setCookie).toMatch(/SameSite=Lax/)
		const cookie = setCookie.split(';')[0]
		expect((await api(server, cookie).get('/api/me')).body.user.email).toBe(owner.email)
		expect((await api(server, cookie).post('/api/auth/logout')).status).toBe(204)
		expect((await api(server, cookie).get('/api/me')).status).toBe(401)
	})

	it('lets only owners add members, and lists boards by membership', async () => {
		const asViewer = await api(server, viewer.cookie).post(`/api/boards/${boardId}/members`, {
			email: stranger.email,
			role: 'editor',
		})
		expect(asViewer.status).toBe(403)
		const noAccount = await api(server, owner.cookie).post(`/api/boards/${boardId}/members`, {
			email: 'ghost@example.com',
			role: 'editor',
		})
		// Invited like anyone: the answer does not say whether an account has the email.
		expect(noAccount.status).toBe(201)
		expect(noAccount.body.invitation.email).toBe('ghost@example.com')
		const asOwner = await api(server, owner.cookie).post(`/api/boards/${boardId}/members`, {
			email: owner.email,
			role: 'viewer',
		})
		expect(asOwner.status).toBe(400)
		const list = await api(server, viewer.cookie).get('/api/boards')
		expect(list.body.boards).toEqual([expect.objectContaining({ id: boardId, role: 'viewer' })])
		expect((await api(server, stranger.cookie).get(`/api/boards/${boardId}`)).status).toBe(403)
	})
})
