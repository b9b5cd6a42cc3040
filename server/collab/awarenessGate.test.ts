import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { WSSharedDoc } from '@y/websocket-server/utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/collab'
import { SYNC_STEP_1, SYNC_STEP_2 } from './messages'
import {
	awarenessFrame,
	BOARD,
	connectClient,
	connectRaw,
	type RawClient,
	startCollabServer,
	syncFrame,
	TEST_USERS,
	type TestClient,
	type TestCollabServer,
	waitFor,
} from './testing'

const alice = TEST_USERS.alice.user
const bob = TEST_USERS.bob.user

let dir: string
let server: TestCollabServer
let watcher: TestClient

/** Resolves once every frame `raw` sent so far has been handled: frames of a socket go in order. */
async function handled(raw: RawClient) {
	const isReply = (m: Uint8Array) => m[0] === 0 && m[1] === SYNC_STEP_2
	const replies = raw.received.filter(isReply).length
	raw.send(syncFrame(SYNC_STEP_1, Y.encodeStateVector(new Y.Doc())))
	await waitFor('the sync step 2 reply', () => raw.received.filter(isReply).length > replies)
}

const presenceOf = (clientId: number) => watcher.provider.awareness.getStates().get(clientId)

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

describe('admitAwareness', () => {
	it("closes a socket that takes over another user's awareness client", async () => {
		const aliceClientId = watcher.doc.clientID
		const raw = connectRaw(server, '?as=bob')
		await raw.opened
		raw.send(awarenessFrame([{ clientId: aliceClientId, clock: 999, state: { user: bob } }]))
		expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage)
		expect(presenceOf(aliceClientId)).toEqual({ user: alice })
	})

	it("ignores relayed states and removals of other people's clients", async () => {
		// y-websocket clients echo every awareness change they see, other people's included, and
		// time out peers locally.
		const aliceClientId = watcher.doc.clientID
		const bobClient = connectClient(server, 'bob')
		try {
			await waitFor('alice and bob to see each other', () =>
				[watcher, bobClient].every((c) => c.provider.awareness.getStates().size === 2),
			)
			const raw = connectRaw(server, '?as=vera')
			await raw.opened
			const clock = watcher.provider.awareness.meta.get(aliceClientId)!.clock
			raw.send(awarenessFrame([{ clientId: aliceClientId, clock, state: { user: alice } }]))
			raw.send(awarenessFrame([{ clientId: aliceClientId, clock, state: null }]))
			raw.send(awarenessFrame([{ clientId: aliceClientId, clock: clock + 5, state: null }]))
			await handled(raw)

			expect(raw.ws.readyState).toBe(raw.ws.OPEN)
			expect(bobClient.provider.awareness.getStates().get(aliceClientId)).toEqual({ user: alice })
			raw.ws.close()
		} finally {
			bobClient.destroy()
		}
	})

	it("moves a client id to the same user's new socket, so closing the old one keeps it", async () => {
		const first = connectRaw(server, '?as=bob')
		await first.opened
		first.send(awarenessFrame([{ clientId: 5000, clock: 1, state: { user: bob } }]))
		await waitFor("alice to see bob's first socket", () => presenceOf(5000))

		const second = connectRaw(server, '?as=bob')
		await second.opened
		second.send(awarenessFrame([{ clientId: 5000, clock: 2, state: { user: bob, cursor: null } }]))
		await handled(second)
		// The board's doc, as the server holds it (the doc is the package's WSSharedDoc).
		const doc = server.collab.boards.getDoc(BOARD) as WSSharedDoc
		expect(doc.conns.size).toBe(3)
		first.ws.close()
		await waitFor('the server to drop the first socket', () => doc.conns.size === 2)

		expect(doc.awareness.getStates().get(5000)).toEqual({ user: bob, cursor: null })
		second.ws.close()
		await waitFor("bob's presence to go with his last socket", () => !presenceOf(5000))
	})

	it('closes a socket that claims too many awareness clients', async () => {
		const raw = connectRaw(server, '?as=bob')
		await raw.opened
		const entries = [1, 2, 3, 4, 5].map((n) => ({
			clientId: 6000 + n,
			clock: 1,
			state: { user: bob },
		}))
		raw.send(awarenessFrame(entries))
		expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage)
	})
})
