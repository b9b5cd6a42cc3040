import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BOARD_PAGE_ID } from '../../shared/records'
import { type ClientMessage, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from './messages'
import { canApply } from './readOnlyFilter'
import {
	BOARD,
	clientShape,
	connectClient,
	connectRaw,
	recordUpdate,
	startCollabServer,
	syncFrame,
	TEST_USERS,
	type TestClient,
	type TestCollabServer,
	waitFor,
} from './testing'

describe('canApply', () => {
	const bytes = new Uint8Array()
	const messages: ClientMessage[] = [
		{ type: 'syncStep1', stateVector: bytes },
		{ type: 'syncStep2', update: bytes },
		{ type: 'update', update: bytes },
		{ type: 'awareness', entries: [] },
		{ type: 'queryAwareness' },
	]
	const cases = (['owner', 'editor', 'viewer'] as const).flatMap((role) =>
		messages.map(
			(message) =>
				[
					role,
					message.type,
					role !== 'viewer' || (message.type !== 'syncStep2' && message.type !== 'update'),
					message,
				] as const,
		),
	)
	it.each(cases)('lets %s apply %s: %s', (role, _type, allowed, message) => {
		expect(canApply(role, message)).toBe(allowed)
	})
})

describe('read-only viewers', () => {
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

	it("drops a viewer's crafted sync step 2 and updates and keeps it connected", async () => {
		const editor = client('bob')
		await waitFor('the editor to sync', () => editor.provider.synced)
		const viewer = connectRaw(server, '?as=vera')
		await viewer.opened
		const viaStep2 = clientShape(1)
		const viaUpdate = clientShape(2)

		viewer.send(syncFrame(SYNC_STEP_2, recordUpdate(viaStep2)))
		viewer.send(syncFrame(SYNC_UPDATE, recordUpdate(viaUpdate)))
		// Frames of one socket are handled in order: once the answer to this sync step 1 is back,
		// the two writes before it have been through the server.
		viewer.send(syncFrame(SYNC_STEP_1, Y.encodeStateVector(new Y.Doc())))
		await waitFor('the sync step 2 reply', () =>
			viewer.received.find((m) => m[0] === 0 && m[1] === SYNC_STEP_2),
		)

		expect(server.collab.boards.getRecord(BOARD, viaStep2.id)).toBeUndefined()
		expect(server.collab.boards.getRecord(BOARD, viaUpdate.id)).toBeUndefined()
		const marker = clientShape(3)
		server.collab.boards.writeRecords(BOARD, [marker])
		await waitFor('the editor to get the marker', () => editor.get(marker.id))
		expect(editor.get(viaStep2.id)).toBeUndefined()
		expect(editor.get(viaUpdate.id)).toBeUndefined()
		// The viewer still receives the board's updates.
		await waitFor('the viewer to get the marker update', () =>
			viewer.received.some((m) => m[0] === 0 && m[1] === SYNC_UPDATE),
		)
		expect(viewer.ws.readyState).toBe(viewer.ws.OPEN)
		viewer.ws.close()
	})

	it('lets a viewer read the board and share presence, never write', async () => {
		const editor = client('bob')
		const viewer = client('vera')
		await waitFor('both to sync', () => editor.provider.synced && viewer.provider.synced)
		expect(viewer.get(BOARD_PAGE_ID)).toBeDefined()

		const shape = clientShape(1)
		editor.records.set(shape.id, shape)
		await waitFor("the viewer to see the editor's shape", () => viewer.get(shape.id))
		await waitFor('each to see the other in awareness', () => {
			const states = (c: TestClient) => [...c.provider.awareness.getStates().values()]
			return (
				states(viewer).some((s) => s.user?.id === TEST_USERS.bob.user.id) &&
				states(editor).some((s) => s.user?.id === TEST_USERS.vera.user.id)
			)
		})

		const sneaky = clientShape(2)
		viewer.records.set(sneaky.id, sneaky)
		// Sent on the same socket after the write: when the editor sees it, the write has been
		// through the server.
		viewer.provider.awareness.setLocalStateField('cursor', { x: 5, y: 5 })
		await waitFor("the editor to see the viewer's cursor", () =>
			[...editor.provider.awareness.getStates().values()].some((s) => s.cursor?.x === 5),
		)
		expect(server.collab.boards.getRecord(BOARD, sneaky.id)).toBeUndefined()
		expect(editor.get(sneaky.id)).toBeUndefined()
	})
})
