import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/collab'
import { decodeClientMessage } from './messages'
import {
	awarenessFrame,
	BOARD,
	connectClient,
	connectRaw,
	recordUpdate,
	startCollabServer,
	TEST_USERS,
	type TestClient,
	type TestCollabServer,
	testShape,
	upgradeByHand,
	waitFor,
} from './testing'

const update = recordUpdate(testShape(1))
const stateVector = Y.encodeStateVector(new Y.Doc())
const alice = TEST_USERS.alice.user
const bob = TEST_USERS.bob.user

/** Numbers as varUints, byte arrays as length-prefixed varUint8Arrays: the y-websocket framing. */
function frame(...parts: Array<number | Uint8Array>): Uint8Array {
	const encoder = encoding.createEncoder()
	for (const part of parts) {
		if (typeof part === 'number') encoding.writeVarUint(encoder, part)
		else encoding.writeVarUint8Array(encoder, part)
	}
	return encoding.toUint8Array(encoder)
}

describe('decodeClientMessage', () => {
	it.each([
		['sync step 1', frame(0, 0, stateVector), 'syncStep1'],
		['sync step 2', frame(0, 1, update), 'syncStep2'],
		['an update', frame(0, 2, update), 'update'],
		['awareness', awarenessFrame([{ clientId: 7, clock: 1, state: { user: bob } }]), 'awareness'],
		['a query for awareness', frame(3), 'queryAwareness'],
	])('decodes %s', (_what, data, type) => {
		const result = decodeClientMessage(data)
		expect(result.ok && result.message.type).toBe(type)
	})

	it.each([
		['an empty frame', new Uint8Array()],
		['an unknown message type', frame(9)],
		['an auth message (server to client only)', frame(2, 0)],
		['an unknown sync subtype', frame(0, 7, update)],
		['a truncated frame', frame(0, 2, update).slice(0, 10)],
		['a truncated update', frame(0, 2, update.slice(0, update.length - 3))],
		['garbage as an update', frame(0, 2, new Uint8Array([255, 255, 255, 1, 2, 3]))],
		['garbage as a state vector', frame(0, 0, new Uint8Array([200]))],
		['trailing bytes', new Uint8Array([...frame(0, 2, update), 0])],
		['an awareness state that is not JSON', frame(1, new Uint8Array([1, 7, 1, 2, 123, 123]))],
		[
			'an awareness state that is an array',
			awarenessFrame([{ clientId: 7, clock: 1, state: [1] }]),
		],
	])('refuses %s', (_what, data) => {
		expect(decodeClientMessage(data).ok).toBe(false)
	})
})

describe('bad frames on a live board', () => {
	let dir: string
	let server: TestCollabServer
	let watcher: TestClient

	beforeEach(async () => {
		dir = mkdtempSync(join(tmpdir(), 'arbor-collab-'))
		server = await startCollabServer({ dbFile: join(dir, 'arbor.db') })
		watcher = connectClient(server, 'alice')
		await waitFor('alice to sync', () => watcher.provider.synced)
	})

	afterEach(async () => {
		watcher.destroy()
		await server.close()
		rmSync(dir, { recursive: true, force: true })
	})

	it.each([
		['garbage bytes', new Uint8Array([0xde, 0xad, 0xbe, 0xef]), 'truncated or malformed message'],
		['an unknown message type', frame(42), 'unknown message type 42'],
		[
			'a truncated update',
			frame(0, 2, update.slice(0, update.length - 3)),
			'undecodable Yjs update',
		],
		['a truncated frame', frame(0, 1, update).slice(0, 12), 'truncated or malformed message'],
		[
			'awareness impersonating another user',
			awarenessFrame([{ clientId: 4242, clock: 1, state: { user: alice } }]),
			'awareness state claims another user',
		],
		[
			'awareness posing as the server',
			awarenessFrame([{ clientId: 4242, clock: 1, state: { user: bob, kind: 'arbor-server' } }]),
			'awareness state uses the reserved key "kind"',
		],
	])(
		'closes the socket that sends %s with 4400; the others keep syncing',
		async (_what, data, reason) => {
			const raw = connectRaw(server, '?as=bob')
			await raw.opened
			raw.send(data)

			expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage)
			expect(server.logs).toContainEqual(
				expect.objectContaining({
					boardId: BOARD,
					userId: bob.id,
					reason,
					msg: 'closing a connection that sent a bad message',
				}),
			)
			expect(server.collab.boards.getRecord(BOARD, testShape(1).id)).toBeUndefined()
			const shape = testShape(2)
			server.collab.boards.writeRecords(BOARD, [shape])
			await waitFor('alice to keep syncing', () => watcher.get(shape.id))
		},
	)

	it('closes a socket that sends a text frame', async () => {
		const raw = connectRaw(server, '?as=bob')
		await raw.opened
		raw.ws.send('hello')
		expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage)
	})

	it.each([
		['an accepted', `${BOARD}?as=bob`],
		['a refused', `${BOARD}?as=mallory`],
	])('survives a frame that is not WebSocket on %s socket', async (_what, path) => {
		const socket = await upgradeByHand(server, path)
		const ended = new Promise((resolve) => socket.on('close', resolve))
		// Opcode 0xF does not exist: ws fails the connection with a protocol error.
		socket.write(new Uint8Array([0x8f, 0x80, 1, 2, 3, 4]))
		await ended

		const shape = testShape(2)
		server.collab.boards.writeRecords(BOARD, [shape])
		await waitFor('alice to keep syncing', () => watcher.get(shape.id))
	})
})
