import type { TLRecord } from '@tldraw/tlschema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CLOSE_CODES } from '../shared/collab'
import { frameRecord } from './collab/testing'
import type { RunningServer } from './server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitFor,
} from './test/factories'
import { buildGuest, buildShareLink } from './test/sharing'

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let bob: TestUser
let boardId: string
const clients: ReturnType<typeof connectBoard>[] = []

beforeEach(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
	owner = await buildUser(server, 'Owner')
	bob = await buildUser(server, 'Bob')
	boardId = (await buildBoard(server, owner)).id
	await addMember(server, owner, boardId, bob, 'editor')
})

afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy()
	await server.close()
	tmp.remove()
})

function connect(user: TestUser) {
	const client = connectBoard(server, boardId, user)
	const closes: number[] = []
	client.provider.on('connection-close', (event) =>
		closes.push((event as CloseEvent | null)?.code ?? 0),
	)
	clients.push(client)
	return { ...client, closes }
}

const record = (id: string): TLRecord => frameRecord(id)

describe('membership changes reach open sockets', () => {
	it('lowers an editor to viewer: the socket reconnects read-only and later writes are dropped', async () => {
		const o = connect(owner)
		const b = connect(bob)
		await waitFor('synced', () => o.provider.synced && b.provider.synced)
		b.records.set('shape:before', record('shape:before'))
		await waitFor('editor write lands', () => server.ctx.boards.getRecord(boardId, 'shape:before'))

		const res = await api(server, owner.cookie).raw(
			'PATCH',
			`/api/boards/${boardId}/members/${bob.id}`,
			{
				role: 'viewer',
			},
		)
		expect(res.status).toBe(200)
		await waitFor('socket closed', () => b.closes.length > 0, 1000)
		await waitFor('reconnected', () => b.provider.wsconnected && b.provider.synced)

		b.records.set('shape:after', record('shape:after'))
		o.records.set('shape:marker', record('shape:marker'))
		await waitFor('marker reaches bob', () => b.get('shape:marker'))
		expect(server.ctx.boards.getRecord(boardId, 'shape:after')).toBeUndefined()
		expect(o.get('shape:after')).toBeUndefined()
	})

	it('removes a member: their socket closes within a second for good, and requests are refused', async () => {
		const b = connect(bob)
		await waitFor('synced', () => b.provider.synced)
		const started = Date.now()
		const res = await api(server, owner.cookie).raw(
			'DELETE',
			`/api/boards/${boardId}/members/${bob.id}`,
		)
		expect(res.status).toBe(204)
		await waitFor('closed', () => b.closes.includes(CLOSE_CODES.forbidden), 1000)
		expect(Date.now() - started).toBeLessThan(1000)
		expect((await api(server, bob.cookie).get(`/api/boards/${boardId}`)).status).toBe(403)
		// The refusal is final: y-websocket gives up on 44xx instead of reconnecting.
		expect(b.provider.shouldConnect).toBe(false)
	})

	it("refuses to change or remove the owner, and non-owners' attempts", async () => {
		const asOwner = await api(server, owner.cookie).raw(
			'DELETE',
			`/api/boards/${boardId}/members/${owner.id}`,
		)
		expect(asOwner.status).toBe(400)
		const asEditor = await api(server, bob.cookie).raw(
			'PATCH',
			`/api/boards/${boardId}/members/${owner.id}`,
			{
				role: 'viewer',
			},
		)
		expect(asEditor.status).toBe(403)
		const badRole = await api(server, owner.cookie).raw(
			'PATCH',
			`/api/boards/${boardId}/members/${bob.id}`,
			{
				role: 'owner',
			},
		)
		expect(badRole.status).toBe(400)
	})
})

describe('GET /members', () => {
	it('shows names only to viewers and guests; emails to owners and editors; admin flags to nobody', async () => {
		const vera = await buildUser(server, 'Vera')
		await addMember(server, owner, boardId, vera, 'viewer')
		const link = await buildShareLink(server, owner, boardId, { role: 'viewer' })
		const guest = await buildGuest(server, link.token, 'Gus')
		const editorLink = await buildShareLink(server, owner, boardId, { role: 'editor' })
		const editorGuest = await buildGuest(server, editorLink.token, 'Eddie')

		const listAs = async (user: TestUser) => {
			const res = await api(server, user.cookie).get(`/api/boards/${boardId}/members`)
			expect(res.status).toBe(200)
			return res.body.members as { user: Record<string, unknown>; role: string }[]
		}
		for (const reader of [vera, guest, editorGuest]) {
			const members = await listAs(reader)
			expect(members.map((m) => m.user.name).sort()).toEqual(['Bob', 'Owner', 'Vera'])
			for (const m of members) {
				expect(m.user).not.toHaveProperty('email')
				expect(m.user).not.toHaveProperty('isAdmin')
			}
		}
		for (const reader of [owner, bob]) {
			const members = await listAs(reader)
			expect(members.find((m) => m.user.id === vera.id)?.user.email).toBe(vera.email)
			for (const m of members) expect(m.user).not.toHaveProperty('isAdmin')
		}
	})
})
