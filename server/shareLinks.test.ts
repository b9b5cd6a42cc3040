import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../shared/collab'
import type { AuditEntry, ShareLink } from '../shared/sharing'
import { MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from './collab/messages'
import { recordUpdate, syncFrame } from './collab/testing'
import { creditLedger, shareLinks } from './db/schema'
import type { RunningServer } from './server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	type connectBoard,
	connectWith,
	type TestUser,
	tempDir,
	waitFor,
} from './test/factories'
import {
	buildGuest,
	buildShareLink,
	connectRawWith,
	markerRecord,
	type ShareClient,
} from './test/sharing'

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let editor: TestUser
let boardId: string
const clients: { destroy(): void }[] = []

beforeEach(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
	owner = await buildUser(server, 'Owner')
	editor = await buildUser(server, 'Eddie')
	boardId = (await buildBoard(server, owner)).id
	await addMember(server, owner, boardId, editor, 'editor')
})

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy()
	await server.close()
	tmp.remove()
})

function track<T extends { destroy(): void }>(client: T): T {
	clients.push(client)
	return client
}

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString()
const del = (user: TestUser, path: string) => api(server, user.cookie).raw('DELETE', path)
const linksOf = async () =>
	(await api(server, owner.cookie).get(`/api/boards/${boardId}/share-links`)).body
		.links as ShareLink[]

describe('share links', () => {
	it('creates a link whose token is shown once and stored only as a hash', async () => {
		const expiresAt = inAnHour()
		const res = await api(server, owner.cookie).post(`/api/boards/${boardId}/share-links`, {
			role: 'viewer',
			expiresAt,
			label: 'Acme review',
		})
		expect(res.status).toBe(201)
		const { link } = res.body
		expect(Buffer.from(link.token, 'base64url')).toHaveLength(32)
		expect(link.url).toBe(`${server.url}/s/${link.token}`)
		expect(link).toMatchObject({ role: 'viewer', label: 'Acme review', state: 'active', guests: 0 })
		expect(link.expiresAt).toBe(expiresAt)
		const row = server.ctx.db.select().from(shareLinks).where(eq(shareLinks.id, link.id)).get()
		expect(row?.tokenHash).toBe(createHash('sha256').update(link.token).digest('hex'))
		expect(JSON.stringify(row)).not.toContain(link.token)

		const listed = await linksOf()
		expect(listed.map((l) => l.id)).toEqual([link.id])
		expect(listed[0]).not.toHaveProperty('token')
		expect(listed[0].createdBy).toEqual({ id: owner.id, name: 'Owner' })
	})

	it('refuses an expiry in the past, bad roles, and anyone but the owner', async () => {
		const past = await api(server, owner.cookie).post(`/api/boards/${boardId}/share-links`, {
			role: 'viewer',
			expiresAt: new Date(Date.now() - 1000).toISOString(),
		})
		expect(past.status).toBe(422)
		expect(past.body.error.message).toMatch(/future/)
		const badRole = await api(server, owner.cookie).post(`/api/boards/${boardId}/share-links`, {
			role: 'owner',
		})
		expect(badRole.status).toBe(400)
		const asEditor = await api(server, editor.cookie).post(`/api/boards/${boardId}/share-links`, {
			role: 'viewer',
		})
		expect(asEditor.status).toBe(403)
		expect(
			(await api(server, editor.cookie).get(`/api/boards/${boardId}/share-links`)).status,
		).toBe(403)
		expect(await linksOf()).toEqual([])
	})

	it('revokes a link: it is listed as revoked and opens nothing any more', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'editor' })
		expect((await api(server).get(`/api/share/${link.token}`)).body).toEqual({
			board: { id: boardId, name: 'Moodboard' },
			role: 'editor',
			expiresAt: null,
		})
		expect((await del(editor, `/api/boards/${boardId}/share-links/${link.id}`)).status).toBe(403)
		expect((await del(owner, `/api/boards/${boardId}/share-links/${link.id}`)).status).toBe(204)
		const [listed] = await linksOf()
		expect(listed.state).toBe('revoked')
		expect(listed.revokedAt).not.toBeNull()
		expect((await api(server).get(`/api/share/${link.token}`)).status).toBe(404)
		expect((await api(server).post(`/api/share/${link.token}/join`, { name: 'Late' })).status).toBe(
			404,
		)
		expect((await api(server).get('/api/share/not-a-token')).status).toBe(404)
		const otherBoard = (await buildBoard(server, owner, 'Other')).id
		expect((await del(owner, `/api/boards/${otherBoard}/share-links/${link.id}`)).status).toBe(404)
	})
})

describe('guests', () => {
	it('joins as a named guest with the link role, and no password or allowance of their own', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'viewer' })
		const res = await fetch(`${server.url}/api/share/${link.token}/join`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Gail' }),
		})
		expect(res.status).toBe(201)
		const setCookie = res.headers.get('set-cookie') ?? ''
		expect(setCookie).toMatch(/^arbor_session=/)
		expect(setCookie).toMatch(/HttpOnly/)
		expect(setCookie).toMatch(/SameSite=Lax/)
		const joined = await res.json()
		expect(joined).toMatchObject({ boardId, role: 'viewer', user: { name: 'Gail', isGuest: true } })
		const guest = { ...joined.user, cookie: setCookie.split(';')[0] }

		const me = await api(server, guest.cookie).get('/api/me')
		expect(me.body.user).toMatchObject({ id: guest.id, name: 'Gail', isGuest: true })
		expect(me.body.credits.balance).toBe(0)
		const board = await api(server, guest.cookie).get(`/api/boards/${boardId}`)
		expect(board.status).toBe(200)
		expect(board.body.role).toBe('viewer')
		const job = await api(server, guest.cookie).post(`/api/boards/${boardId}/jobs`, {
			op: 'imagine',
			prompt: 'a fox',
		})
		expect(job.status).toBe(403)
		const otherBoard = (await buildBoard(server, owner, 'Private')).id
		expect((await api(server, guest.cookie).get(`/api/boards/${otherBoard}`)).status).toBe(403)
		// No password opens a guest account, and trying does not crash the login.
		for (const password of ['', 'guest', 'no-password', 'correct horse battery']) {
			const login = await api(server).post('/api/auth/login', { email: guest.email, password })
			expect([400, 401]).toContain(login.status)
		}
		expect((await linksOf())[0].guests).toBe(1)
	})

	it('keeps a member who opens a link as themselves: no guest, no new session', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'viewer' })
		const res = await api(server, editor.cookie).post(`/api/share/${link.token}/join`, {
			name: 'Eddie again',
		})
		expect(res.status).toBe(200)
		expect(res.body).toMatchObject({ boardId, role: 'editor', user: { id: editor.id } })
		expect(res.headers.get('set-cookie')).toBeNull()
		expect((await linksOf())[0].guests).toBe(0)
	})

	it('validates the name', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'viewer' })
		const res = await api(server).post(`/api/share/${link.token}/join`, { name: '   ' })
		expect(res.status).toBe(400)
		expect((await linksOf())[0].guests).toBe(0)
	})
})

/** Waits until a write by `writer` reaches `observer`: everything sent before it was handled. */
async function fence(writer: ShareClient | ReturnType<typeof connectBoard>, observer: ShareClient) {
	const id = `shape:fence-${Math.random().toString(36).slice(2)}`
	writer.records.set(id, markerRecord(id))
	await waitFor('fence write reaches the observer', () => observer.get(id))
}

describe('guests on the websocket', () => {
	it("drops a viewer-link guest's crafted sync step 2 and update frames", async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'viewer' })
		const guest = await buildGuest(server, link.token, 'Vic')
		const ownerClient = track(connectWith(server, boardId, { cookie: owner.cookie }))
		const editorClient = track(connectWith(server, boardId, { cookie: editor.cookie }))
		await waitFor('synced', () => ownerClient.provider.synced && editorClient.provider.synced)

		// One raw socket per way in: the guest's cookie, and the bare token with no cookie.
		const viaCookie = connectRawWith(server, boardId, { cookie: guest.cookie })
		const viaToken = connectRawWith(server, boardId, { share: link.token })
		await Promise.all([viaCookie.opened, viaToken.opened])
		for (const [n, raw] of [viaCookie, viaToken].entries()) {
			raw.ws.send(syncFrame(SYNC_STEP_2, recordUpdate(markerRecord(`shape:step2-${n}`))))
			raw.ws.send(syncFrame(SYNC_UPDATE, recordUpdate(markerRecord(`shape:update-${n}`))))
		}
		// A socket's frames are handled in order: once each socket's sync step 1 is answered, its
		// writes were handled (applied or dropped). The fence then proves any broadcast of them would
		// already have reached the other clients.
		for (const raw of [viaCookie, viaToken]) {
			raw.ws.send(syncFrame(SYNC_STEP_1, Y.encodeStateVector(new Y.Doc())))
			await waitFor('sync step 2 answer', () =>
				raw.received.some((f) => f[0] === MESSAGE_SYNC && f[1] === SYNC_STEP_2),
			)
		}
		await fence(ownerClient, editorClient)
		for (const n of [0, 1])
			for (const id of [`shape:step2-${n}`, `shape:update-${n}`]) {
				expect(server.ctx.boards.getRecord(boardId, id)).toBeUndefined()
				expect(editorClient.get(id)).toBeUndefined()
				expect(ownerClient.get(id)).toBeUndefined()
			}
		// Dropped, not refused: the sockets stay open.
		expect(viaCookie.ws.readyState).toBe(viaCookie.ws.OPEN)
		expect(viaToken.ws.readyState).toBe(viaToken.ws.OPEN)
		viaCookie.ws.close()
		viaToken.ws.close()
	})

	it('lets an editor-link guest write, and charges their jobs to the link creator', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'editor' })
		const guest = await buildGuest(server, link.token, 'Gus')
		const guestClient = track(connectWith(server, boardId, { cookie: guest.cookie }))
		const ownerClient = track(connectWith(server, boardId, { cookie: owner.cookie }))
		await waitFor('synced', () => guestClient.provider.synced && ownerClient.provider.synced)
		guestClient.records.set('shape:by-guest', markerRecord('shape:by-guest'))
		await waitFor('guest write reaches the owner', () => ownerClient.get('shape:by-guest'))
		expect(server.ctx.boards.getRecord(boardId, 'shape:by-guest')).toBeDefined()

		const before = (await api(server, owner.cookie).get('/api/me')).body.credits.balance
		const res = await api(server, guest.cookie).post(`/api/boards/${boardId}/jobs`, {
			op: 'imagine',
			prompt: 'a guest fox',
		})
		expect(res.status).toBe(202)
		const entries = server.ctx.db
			.select()
			.from(creditLedger)
			.where(eq(creditLedger.jobId, res.body.job.id))
			.all()
		const reservation = entries.find((e) => e.kind === 'reservation')
		expect(reservation).toMatchObject({ userId: owner.id, actorId: guest.id })
		const after = (await api(server, owner.cookie).get('/api/me')).body.credits.balance
		expect(after).toBe(before - res.body.job.cost)
		expect((await api(server, guest.cookie).get('/api/me')).body.credits.balance).toBe(0)
	})

	it('closes a live guest socket within a second on revoke, and ends the guest session', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'editor' })
		const guest = await buildGuest(server, link.token, 'Rita')
		const byCookie = track(connectWith(server, boardId, { cookie: guest.cookie }))
		const byToken = track(connectWith(server, boardId, { share: link.token }))
		// A member's own socket stays: only the link's are closed.
		const member = track(connectWith(server, boardId, { cookie: editor.cookie }))
		await waitFor('synced', () =>
			[byCookie, byToken, member].every((c) => c.provider.synced && c.provider.wsconnected),
		)
		const started = Date.now()
		const res = await del(owner, `/api/boards/${boardId}/share-links/${link.id}`)
		expect(res.status).toBe(204)
		for (const client of [byCookie, byToken]) {
			const close = await waitFor('closed', () =>
				client.closes.find((c) => c.code === CLOSE_CODES.forbidden),
			)
			expect(close.at - started).toBeLessThan(1000)
			expect(client.provider.shouldConnect).toBe(false)
		}
		expect(member.closes).toEqual([])
		expect((await api(server, guest.cookie).get('/api/me')).status).toBe(401)
		expect((await api(server, guest.cookie).get(`/api/boards/${boardId}`)).status).toBe(401)
		const again = connectRawWith(server, boardId, { share: link.token })
		expect((await again.closed).code).toBe(CLOSE_CODES.forbidden)
	})

	it('refuses a token of another board on the websocket', async () => {
		const otherBoard = (await buildBoard(server, owner, 'Other')).id
		const link = await buildShareLink(server, owner, otherBoard, { role: 'editor' })
		const raw = connectRawWith(server, boardId, { share: link.token })
		expect((await raw.closed).code).toBe(CLOSE_CODES.forbidden)
		const bogus = connectRawWith(server, boardId, { share: 'x'.repeat(43) })
		expect((await bogus.closed).code).toBe(CLOSE_CODES.forbidden)
	})
})

describe('expiry', () => {
	it('after expiry refuses joins, the guests it made, and sockets opened with it', async () => {
		const link = await buildShareLink(server, owner, boardId, {
			role: 'editor',
			expiresAt: new Date(Date.now() + 400).toISOString(),
		})
		const guest = await buildGuest(server, link.token, 'Ephemera')
		expect((await api(server, guest.cookie).get(`/api/boards/${boardId}`)).status).toBe(200)

		const info = await waitFor('the link to expire', async () => {
			const res = await api(server).get(`/api/share/${link.token}`)
			return res.status === 403 ? res : null
		})
		expect(info.body.error.message).toContain(`This link expired on ${link.expiresAt}`)
		const join = await api(server).post(`/api/share/${link.token}/join`, { name: 'Late' })
		expect(join.status).toBe(403)
		expect(join.body.error.message).toMatch(/expired on/)
		// The guest session ended with the link.
		expect((await api(server, guest.cookie).get('/api/me')).status).toBe(401)
		expect((await api(server, guest.cookie).get(`/api/boards/${boardId}`)).status).toBe(401)
		const byToken = connectRawWith(server, boardId, { share: link.token })
		expect((await byToken.closed).code).toBe(CLOSE_CODES.forbidden)
		const byCookie = connectRawWith(server, boardId, { cookie: guest.cookie })
		expect((await byCookie.closed).code).toBe(CLOSE_CODES.unauthenticated)
		expect((await linksOf())[0].state).toBe('expired')
	})
})

describe('audit', () => {
	it('records access changes in order, readable only by the owner', async () => {
		const viewer = await buildUser(server, 'Vera')
		await addMember(server, owner, boardId, viewer, 'viewer')
		await api(server, owner.cookie).raw('PATCH', `/api/boards/${boardId}/members/${viewer.id}`, {
			role: 'editor',
		})
		await del(owner, `/api/boards/${boardId}/members/${viewer.id}`)
		const link = await buildShareLink(server, owner, boardId, { role: 'viewer' })
		const guest = await buildGuest(server, link.token, 'Gwen')
		await del(owner, `/api/boards/${boardId}/share-links/${link.id}`)

		const res = await api(server, owner.cookie).get(`/api/boards/${boardId}/audit`)
		expect(res.status).toBe(200)
		const entries = res.body.entries as AuditEntry[]
		const trail = entries.map((e) => [e.action, e.actor?.id, e.target])
		expect(trail).toEqual([
			['share_link.revoked', owner.id, link.id],
			['share_link.joined', guest.id, link.id],
			['share_link.created', owner.id, link.id],
			['member.removed', owner.id, viewer.id],
			['member.role_changed', owner.id, viewer.id],
			// Adding someone invites them; they are added when they accept (#12 item 16).
			['member.added', viewer.id, viewer.id],
			['member.invited', owner.id, expect.stringMatching(/^inv_/)],
			['member.added', editor.id, editor.id],
			['member.invited', owner.id, expect.stringMatching(/^inv_/)],
		])
		// Each member entry names its person as they were then: a removed member is in no list.
		const vera = { name: 'Vera', email: viewer.email }
		expect(entries[3].detail).toEqual({ ...vera, previous: 'editor' })
		expect(entries[4].detail).toEqual({ ...vera, role: 'editor', previous: 'viewer' })
		expect(entries[5].detail).toEqual({ ...vera, role: 'viewer', via: 'invitation' })

		const limited = await api(server, owner.cookie).get(`/api/boards/${boardId}/audit?limit=2`)
		expect(limited.body.entries).toHaveLength(2)
		expect((await api(server, editor.cookie).get(`/api/boards/${boardId}/audit`)).status).toBe(403)
		expect((await api(server).get(`/api/boards/${boardId}/audit`)).status).toBe(401)
	})
})
