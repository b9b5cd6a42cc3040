import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningServer } from './server'
import { api, buildBoard, buildServer, buildUser, type TestUser, tempDir } from './test/factories'

// Adding someone to a board invites them; the board reaches them when they accept (#12 item 16).
// The owner's answer is the same for an email with an account and one without (#12 item 2).

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let ana: TestUser
let boardId: string

const board = (path = '') => `/api/boards/${boardId}${path}`
const as = (user: TestUser) => api(server, user.cookie)
const invite = (email: string, role: 'editor' | 'viewer' = 'editor') =>
	as(owner).post(board('/members'), { email, role })
const boardIdsOf = async (user: TestUser) =>
	((await as(user).get('/api/boards')).body.boards as { id: string }[]).map((b) => b.id)

async function start(env: Record<string, string> = {}) {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, env })
	owner = await buildUser(server, 'Owner')
	ana = await buildUser(server, 'Ana')
	boardId = (await buildBoard(server, owner, 'Lookbook')).id
}

afterEach(async () => {
	await server.close()
	tmp.remove()
})

describe('invitations', () => {
	beforeEach(() => start())

	it('reach the board only once the invitee accepts', async () => {
		const res = await invite(ana.email)
		expect(res.status).toBe(201)
		expect(res.body.member).toBeUndefined()
		const { invitation } = res.body
		expect(invitation).toMatchObject({ email: ana.email, role: 'editor' })

		// Pending: not on Ana's list, not open to her, shown to the owner as invited.
		expect(await boardIdsOf(ana)).not.toContain(boardId)
		expect((await as(ana).get(board())).status).toBe(403)
		const members = (await as(owner).get(board('/members'))).body.members
		expect(members.map((m: { user: { id: string } }) => m.user.id)).not.toContain(ana.id)
		expect((await as(owner).get(board('/invitations'))).body.invitations).toEqual([
			expect.objectContaining({ id: invitation.id, email: ana.email, role: 'editor' }),
		])
		expect((await as(ana).get('/api/invitations')).body.invitations).toEqual([
			expect.objectContaining({
				id: invitation.id,
				board: { id: boardId, name: 'Lookbook' },
				role: 'editor',
				invitedBy: { id: owner.id, name: 'Owner' },
			}),
		])

		const accepted = await as(ana).post(`/api/invitations/${invitation.id}/accept`)
		expect(accepted.status).toBe(200)
		expect(accepted.body).toMatchObject({ board: { id: boardId }, role: 'editor' })
		expect(await boardIdsOf(ana)).toContain(boardId)
		expect((await as(ana).get(board())).body.role).toBe('editor')
		expect((await as(ana).get('/api/invitations')).body.invitations).toEqual([])
		expect((await as(owner).get(board('/invitations'))).body.invitations).toEqual([])
		const audit = (await as(owner).get(board('/audit'))).body.entries.map(
			(e: { action: string }) => e.action,
		)
		expect(audit).toEqual(expect.arrayContaining(['member.invited', 'member.added']))
	})

	it('answer alike for an email with an account and one without', async () => {
		const known = await invite(ana.email)
		const unknown = await invite('nobody-here@example.com')
		expect(unknown.status).toBe(known.status)
		expect(Object.keys(unknown.body)).toEqual(Object.keys(known.body))
		expect(Object.keys(unknown.body.invitation).sort()).toEqual(
			Object.keys(known.body.invitation).sort(),
		)
		// Whoever later signs up with the email finds it waiting.
		const res = await fetch(`${server.url}/api/auth/signup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				email: 'Nobody-Here@example.com',
				password: 'correct horse battery',
				name: 'Late',
			}),
		})
		const late = res.headers.get('set-cookie')!.split(';')[0]
		const pending = (await api(server, late).get('/api/invitations')).body.invitations
		expect(pending.map((i: { id: string }) => i.id)).toEqual([unknown.body.invitation.id])
	})

	it('can be declined, and are gone for good', async () => {
		const { invitation } = (await invite(ana.email)).body
		expect((await as(ana).post(`/api/invitations/${invitation.id}/decline`)).status).toBe(204)
		expect((await as(ana).post(`/api/invitations/${invitation.id}/accept`)).status).toBe(404)
		expect(await boardIdsOf(ana)).not.toContain(boardId)
		expect((await as(owner).get(board('/invitations'))).body.invitations).toEqual([])
	})

	it('can be withdrawn by the owner before they are accepted', async () => {
		const { invitation } = (await invite(ana.email)).body
		const withdrawn = await as(owner).raw('DELETE', board(`/invitations/${invitation.id}`))
		expect(withdrawn.status).toBe(204)
		expect((await as(ana).get('/api/invitations')).body.invitations).toEqual([])
		expect((await as(ana).post(`/api/invitations/${invitation.id}/accept`)).status).toBe(404)
		expect((await as(owner).raw('DELETE', board(`/invitations/${invitation.id}`))).status).toBe(404)
	})

	it('are accepted only by their invitee', async () => {
		const ben = await buildUser(server, 'Ben')
		const { invitation } = (await invite(ana.email)).body
		expect((await as(ben).post(`/api/invitations/${invitation.id}/accept`)).status).toBe(404)
		expect((await as(ben).post(`/api/invitations/${invitation.id}/decline`)).status).toBe(404)
		expect((await as(ben).get('/api/invitations')).body.invitations).toEqual([])
		expect(await boardIdsOf(ben)).not.toContain(boardId)
	})

	it('update the role when the same email is invited again, and change a member at once', async () => {
		const first = (await invite(ana.email, 'editor')).body.invitation
		const again = (await invite(ana.email, 'viewer')).body.invitation
		expect(again.id).toBe(first.id)
		expect(again.role).toBe('viewer')
		await as(ana).post(`/api/invitations/${first.id}/accept`)
		expect((await as(ana).get(board())).body.role).toBe('viewer')
		// A member already: their role changes, nothing to accept.
		const changed = await invite(ana.email, 'editor')
		expect(changed.body.member).toMatchObject({ user: { id: ana.id }, role: 'editor' })
		expect((await as(ana).get('/api/invitations')).body.invitations).toEqual([])
	})

	it('refuse malformed bodies and ids', async () => {
		expect(
			(await as(owner).post(board('/members'), { email: 'x@y.io', role: 'owner' })).status,
		).toBe(400)
		expect(
			(await as(owner).post(board('/members'), { email: 'x@y.io', role: 'viewer', extra: 1 }))
				.status,
		).toBe(400)
		expect((await as(ana).post('/api/invitations/not-an-id/accept')).status).toBe(400)
		expect((await as(owner).raw('DELETE', board('/invitations/nope'))).status).toBe(400)
	})
})

describe('direct adds (ARBOR_MEMBER_ADD=direct)', () => {
	beforeEach(() => start({ ARBOR_MEMBER_ADD: 'direct' }))

	it('make an account a member at once, and still invite an email without one', async () => {
		const res = await invite(ana.email)
		expect(res.body.member).toMatchObject({ user: { id: ana.id }, role: 'editor' })
		expect(await boardIdsOf(ana)).toContain(boardId)
		const unknown = await invite('nobody-yet@example.com')
		expect(unknown.body.invitation).toMatchObject({ email: 'nobody-yet@example.com' })
	})
})
