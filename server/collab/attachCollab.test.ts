import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { CLOSE_CODES } from '../../shared/collab'
import { BOARD_PAGE_ID } from '../../shared/records'
import {
	BOARD,
	clientShape,
	connectClient,
	connectRaw,
	MISSING_BOARD,
	startCollabServer,
	type TestClient,
	type TestCollabServer,
	testShape,
	waitFor,
} from './testing'

let dir: string
let server: TestCollabServer
let clients: TestClient[]

function client(as: string) {
	const c = connectClient(server, as)
	clients.push(c)
	return c
}

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'arbor-collab-'))
	server = await startCollabServer({ dbFile: join(dir, 'arbor.db') })
	clients = []
})

afterEach(async () => {
	for (const c of clients) c.destroy()
	await server.close()
	rmSync(dir, { recursive: true, force: true })
})

describe('attachCollab', () => {
	it('syncs records between two clients', async () => {
		const alice = client('alice')
		const bob = client('bob')
		await waitFor(
			'both clients to get the seeded page',
			() => alice.get(BOARD_PAGE_ID) && bob.get(BOARD_PAGE_ID),
		)

		const shape = clientShape(1)
		alice.records.set(shape.id, shape)
		await waitFor("bob to see alice's shape", () => bob.get(shape.id))
		expect(bob.get(shape.id)).toEqual(shape)

		bob.records.delete(shape.id)
		await waitFor("alice to see bob's delete", () => !alice.get(shape.id))
		expect(server.collab.boards.getRecord(BOARD, shape.id)).toBeUndefined()
	})

	it('writes server records into every connected client', async () => {
		const alice = client('alice')
		const bob = client('bob')
		await waitFor('both clients to sync', () => alice.provider.synced && bob.provider.synced)

		const shapes = [clientShape(1), clientShape(2)]
		server.collab.boards.writeRecords(BOARD, shapes)

		for (const c of [alice, bob]) {
			await waitFor('the server shapes to arrive', () => shapes.every((s) => c.get(s.id)))
			expect(shapes.map((s) => c.get(s.id))).toEqual(shapes)
		}
	})

	it.each([
		['no user', '', BOARD, CLOSE_CODES.unauthenticated],
		['an unknown user', '?as=nobody', BOARD, CLOSE_CODES.unauthenticated],
		['a user without access', '?as=mallory', BOARD, CLOSE_CODES.forbidden],
		['a board that does not exist', '?as=alice', MISSING_BOARD, CLOSE_CODES.notFound],
		['a malformed board id', '?as=alice', 'not-a-board', CLOSE_CODES.notFound],
	])('closes the upgrade of %s with its code', async (_what, query, boardId, code) => {
		const raw = connectRaw(server, query, boardId)
		expect((await raw.closed).code).toBe(code)
	})

	it('stops y-websocket from retrying after a refusal', async () => {
		const stranger = client('nobody')
		const closed = await new Promise<{ code: number }>((resolve) =>
			stranger.provider.on('closed', (event) => resolve(event)),
		)
		expect(closed.code).toBe(CLOSE_CODES.unauthenticated)
		expect(stranger.provider.wsconnecting || stranger.provider.wsconnected).toBe(false)
	})

	it('leaves upgrades outside /yjs/ to other handlers', async () => {
		const other = new WebSocketServer({ noServer: true })
		server.http.on('upgrade', (req, socket, head) => {
			if (req.url === '/other') other.handleUpgrade(req, socket, head, (ws) => ws.send('hello'))
		})
		const ws = new (await import('ws')).default(server.wsUrl.replace('/yjs', '/other'))
		const message = await new Promise<string>((resolve, reject) => {
			ws.on('message', (data: Buffer) => resolve(data.toString()))
			ws.on('error', reject)
		})
		expect(message).toBe('hello')
		ws.close()
		other.close()
	})

	it('closes a socket with 1011 (retry later) when the board cannot be loaded', async () => {
		server.db.$client.exec('ALTER TABLE yjs_updates RENAME TO yjs_updates_away')
		try {
			const raw = connectRaw(server, '?as=alice')
			expect((await raw.closed).code).toBe(1011)
			expect(server.logs).toContainEqual(
				expect.objectContaining({ boardId: BOARD, msg: 'could not load the board doc' }),
			)
		} finally {
			server.db.$client.exec('ALTER TABLE yjs_updates_away RENAME TO yjs_updates')
		}
		const alice = client('alice')
		await waitFor('the board to open once it can be read', () => alice.get(BOARD_PAGE_ID))
	})

	it('closes the sockets closeConnections matches and keeps the others', async () => {
		const alice = client('alice')
		const vera = client('vera')
		await waitFor('both clients to sync', () => alice.provider.synced && vera.provider.synced)
		const veraClosed = new Promise<{ code: number }>((resolve) =>
			vera.provider.on('closed', (event) => resolve(event)),
		)

		const count = server.collab.closeConnections(
			BOARD,
			(c) => c.role === 'viewer',
			CLOSE_CODES.forbidden,
		)

		expect(count).toBe(1)
		expect((await veraClosed).code).toBe(CLOSE_CODES.forbidden)
		const shape = testShape(3)
		server.collab.boards.writeRecords(BOARD, [shape])
		await waitFor('alice to keep syncing', () => alice.get(shape.id))
		expect(vera.get(shape.id)).toBeUndefined()
	})
})
