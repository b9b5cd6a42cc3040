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

describe('presence the server relays', () => {
	const vera = TEST_USERS.vera.user

	async function sendAs(
		as: string,
		clientId: number,
		entry: { state: unknown } | { json: string },
	) {
		const raw = connectRaw(server, `?as=${as}`)
		await raw.opened
		raw.send(awarenessFrame([{ clientId, clock: 1, ...entry }]))
		return raw
	}

	it('keeps a socket whose presence holds numbers no board can hold, relaying null for them', async () => {
		// A node at x = 1e308 made clients publish Infinity (null in JSON): the server closed every
		// one of them with 4400 on every reload, and nobody could fix the board.
		const user = JSON.stringify(bob)
		for (const [n, fields] of [
			'"cursor":{"x":1e400,"y":0}',
			'"cursor":{"x":null,"y":0},"camera":{"x":1e308,"y":0,"z":1}',
			'"camera":{"x":0,"y":0,"z":0},"screen":{"w":-1,"h":1e300}',
			'"cursor":{"x":"12","y":0},"presenting":"yes"',
		].entries()) {
			const clientId = 7000 + n
			const raw = await sendAs('bob', clientId, { json: `{"user":${user},${fields}}` })
			const relayed = await waitFor('the presence to reach alice', () => presenceOf(clientId))
			expect(raw.ws.readyState).toBe(raw.ws.OPEN)
			expect(relayed).toMatchObject({ user: bob })
			for (const key of ['cursor', 'camera', 'screen'] as const)
				expect((relayed as Record<string, unknown>)[key] ?? null).toBeNull()
			raw.ws.close()
		}
	})

	it('relays only the fields it validated', async () => {
		const raw = await sendAs('bob', 7100, {
			state: { user: { ...bob, extra: 'x' }, cursor: { x: 1, y: 2, z: 3 }, junk: 'x'.repeat(2000) },
		})
		const relayed = await waitFor('the presence to reach alice', () => presenceOf(7100))
		expect(relayed).toEqual({ user: bob, cursor: { x: 1, y: 2 } })
		raw.ws.close()
	})

	it('closes a socket whose awareness state is larger than any presence', async () => {
		const raw = await sendAs('vera', 7200, {
			state: { user: vera, note: 'x'.repeat(64 * 1024) },
		})
		expect((await raw.closed).code).toBe(CLOSE_CODES.badMessage)
		expect(presenceOf(7200)).toBeUndefined()
	})

	it('drops awareness updates beyond a rate no person produces', async () => {
		const raw = connectRaw(server, '?as=bob')
		await raw.opened
		const doc = server.collab.boards.getDoc(BOARD) as WSSharedDoc
		let applied = 0
		const count = ({ added, updated }: { added: number[]; updated: number[] }) => {
			if ([...added, ...updated].includes(7300)) applied += 1
		}
		doc.awareness.on('update', count)
		const BURST = 1000
		const started = Date.now()
		for (let clock = 1; clock <= BURST; clock++)
			raw.send(
				awarenessFrame([
					{ clientId: 7300, clock, state: { user: bob, cursor: { x: clock, y: 0 } } },
				]),
			)
		await handled(raw)
		const seconds = (Date.now() - started) / 1000
		doc.awareness.off('update', count)
		expect(raw.ws.readyState).toBe(raw.ws.OPEN)
		// A burst of 120, then 60 a second: far fewer than were sent, however slow the machine.
		expect(applied).toBeLessThanOrEqual(120 + Math.ceil(seconds * 60) + 1)
		expect(applied).toBeLessThan(BURST)
		raw.ws.close()
	})

	it('names everyone by their account, whatever their client says', async () => {
		const raw = await sendAs('vera', 7400, {
			state: { user: { ...vera, name: 'Alice (board owner)', color: '#000000' } },
		})
		const relayed = await waitFor('the presence to reach alice', () => presenceOf(7400))
		expect(relayed).toEqual({ user: vera })
		raw.ws.close()
	})

	it('lets owners and editors present, and nobody else', async () => {
		const viewer = await sendAs('vera', 7500, { state: { user: vera, presenting: true } })
		const editor = await sendAs('bob', 7501, { state: { user: bob, presenting: true } })
		await waitFor('both presences', () => presenceOf(7500) && presenceOf(7501))
		expect(presenceOf(7500)).toEqual({ user: vera })
		expect(presenceOf(7501)).toEqual({ user: bob, presenting: true })
		viewer.ws.close()
		editor.ws.close()
	})
})

/** Opens sockets as vera until one stays open (polling with a deadline); returns it. */
async function admitted(target: TestCollabServer): Promise<RawClient> {
	const deadline = Date.now() + 5000
	for (;;) {
		const next = connectRaw(target, '?as=vera')
		await next.opened
		const outcome = await Promise.race([
			next.closed.then(() => 'closed' as const),
			// Frames of a socket go in order: an answer to sync step 1 means it was served.
			(async () => {
				next.send(syncFrame(SYNC_STEP_1, Y.encodeStateVector(new Y.Doc())))
				await waitFor(
					'an answer',
					() => next.received.length > 0 || next.ws.readyState !== next.ws.OPEN,
				)
				return next.ws.readyState === next.ws.OPEN ? ('open' as const) : ('closed' as const)
			})(),
		])
		if (outcome === 'open') return next
		if (Date.now() > deadline) throw new Error('timed out waiting for a socket to be admitted')
	}
}

describe('sockets per user', () => {
	it('refuses a user more sockets than the cap, and admits them again once one closes', async () => {
		const capped = await startCollabServer({
			dbFile: join(dir, 'capped.db'),
			maxSocketsPerUser: 3,
		})
		try {
			const sockets = [1, 2, 3].map(() => connectRaw(capped, '?as=vera'))
			await Promise.all(sockets.map((s) => s.opened))
			const extra = connectRaw(capped, '?as=vera')
			expect((await extra.closed).code).toBe(CLOSE_CODES.tooManyConnections)
			const other = connectRaw(capped, '?as=bob')
			await other.opened
			sockets[0].ws.close()
			await sockets[0].closed
			// The server uncounts the socket when its TCP connection closes: poll until it has.
			const again = await admitted(capped)
			expect(again.ws.readyState).toBe(again.ws.OPEN)
		} finally {
			await capped.close()
		}
	})
})
