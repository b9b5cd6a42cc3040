import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLRecord } from 'tldraw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import {
	BOARD,
	startCollabServer,
	TEST_USERS,
	type TestCollabServer,
	testShape,
	waitFor,
} from '../../server/collab/testing'
import { TL_RECORDS_KEY } from '../../shared/collab'
import { BoardSync } from './BoardSync'

// A viewer's BoardSync against a real collab server (real SQLite, real y-websocket): its client
// must never write to the doc, not even the duplicate clean-up a YKeyValue does on its own.

let dir: string
let server: TestCollabServer
let sync: BoardSync | undefined

beforeEach(async () => {
	// y-websocket reaches for the global WebSocket; Node 20 has none.
	vi.stubGlobal('WebSocket', WebSocket)
	dir = mkdtempSync(join(tmpdir(), 'arbor-boardsync-'))
	const vera = TEST_USERS.vera
	server = await startCollabServer({
		dbFile: join(dir, 'arbor.db'),
		authorize: async () => ({ ok: true, ...vera }),
	})
})

afterEach(async () => {
	sync?.dispose()
	sync = undefined
	await server.close()
	rmSync(dir, { recursive: true, force: true })
	vi.unstubAllGlobals()
})

const REMOTE = 'test-remote-peer'

describe('a viewer’s BoardSync', () => {
	it('reads the records without ever writing to the doc', async () => {
		const node = testShape(1)
		server.collab.boards.writeRecords(BOARD, [node])
		const user = { ...TEST_USERS.vera.user, email: 'vera@example.com' }
		sync = new BoardSync({ boardId: BOARD, user, canEdit: false, wsBase: server.wsUrl })
		const viewer = sync
		await waitFor('the viewer to load the board', () => viewer.isLoaded.get())
		expect(viewer.store.get(node.id as TLRecord['id'])).toEqual(node)

		const local: unknown[] = []
		viewer.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			if (origin !== REMOTE && origin !== viewer.provider) local.push(origin)
		})
		// Two editors moved the node at once: the doc now holds two entries for its key, as a
		// merge of concurrent YKeyValue writes does. The rightmost wins.
		const peer = new Y.Doc()
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(viewer.doc))
		const moved = { ...node, x: node.x + 123 }
		peer.getArray(TL_RECORDS_KEY).push([{ key: node.id, val: moved }])
		Y.applyUpdate(viewer.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(viewer.doc)), REMOTE)

		expect(viewer.store.get(node.id as TLRecord['id'])).toEqual(moved)
		expect(local).toEqual([])
		const entries = viewer.doc.getArray<{ key: string }>(TL_RECORDS_KEY).toArray()
		expect(entries.filter((e) => e.key === node.id)).toHaveLength(2)

		// A record deleted elsewhere leaves the viewer's store too.
		const doomed = peer.getArray<{ key: string }>(TL_RECORDS_KEY)
		const before = Y.encodeStateVector(peer)
		peer.transact(() => {
			for (let i = doomed.length - 1; i >= 0; i--)
				if (doomed.get(i).key === node.id) doomed.delete(i)
		})
		Y.applyUpdate(viewer.doc, Y.encodeStateAsUpdate(peer, before), REMOTE)
		expect(viewer.store.get(node.id as TLRecord['id'])).toBeUndefined()
		expect(local).toEqual([])
	})
})
