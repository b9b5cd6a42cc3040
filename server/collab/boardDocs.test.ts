import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLRecord } from '@tldraw/tlschema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type JobProgress, ServerAwarenessSchema, TL_RECORDS_KEY } from '../../shared/collab'
import { openDb } from '../db/client'
import { InvalidRecordError } from './boardDocs'
import {
	BOARD,
	connectClient,
	startCollabServer,
	type TestClient,
	type TestCollabServer,
	testShape,
	waitFor,
} from './testing'

let dir: string
let server: TestCollabServer

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'arbor-collab-'))
	server = await startCollabServer({ dbFile: join(dir, 'arbor.db') })
})

afterEach(async () => {
	await server.close()
	rmSync(dir, { recursive: true, force: true })
})

const stateOf = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc)

/** The server's awareness state as a client sees it. */
function serverState(client: TestClient) {
	for (const state of client.provider.awareness.getStates().values()) {
		const parsed = ServerAwarenessSchema.safeParse(state)
		if (parsed.success) return parsed.data
	}
	return undefined
}

describe('BoardDocs.writeRecords', () => {
	const valid = testShape(1)
	const broken = (patch: Record<string, unknown>) => ({ ...testShape(2), ...patch }) as TLRecord

	it.each([
		['a prop out of its enum', broken({ props: { ...testShape(2).props, status: 'exploded' } })],
		['missing props', broken({ props: { w: 10 } })],
		['an id of the wrong kind', broken({ id: 'page:nope' })],
		['an unknown record type', broken({ typeName: 'gizmo' })],
		[
			'a session record',
			{
				id: 'pointer:pointer',
				typeName: 'pointer',
				x: 0,
				y: 0,
				lastActivityTimestamp: 0,
				meta: {},
			},
		],
	])('throws on %s and writes nothing', (_what, invalid) => {
		const doc = server.collab.boards.getDoc(BOARD)
		const before = stateOf(doc)

		expect(() => server.collab.boards.writeRecords(BOARD, [valid, invalid as TLRecord])).toThrow(
			InvalidRecordError,
		)

		expect(stateOf(doc)).toEqual(before)
		expect(server.collab.boards.getRecord(BOARD, valid.id)).toBeUndefined()
	})

	it('skips records equal to the stored ones', () => {
		server.collab.boards.writeRecords(BOARD, [valid])
		const before = stateOf(server.collab.boards.getDoc(BOARD))
		server.collab.boards.writeRecords(BOARD, [structuredClone(valid)])
		expect(stateOf(server.collab.boards.getDoc(BOARD))).toEqual(before)
	})

	it('stores writes to a board nobody has open, at once', async () => {
		const shape = testShape(3)
		server.collab.boards.writeRecords(BOARD, [shape])

		// Read through a second handle, as a restarted process would, without closing anything.
		const other = openDb(join(dir, 'arbor.db'))
		try {
			const doc = new Y.Doc()
			const rows = other.$client
				.prepare<[string], { update: Buffer }>(
					'SELECT "update" FROM yjs_updates WHERE board_id = ? ORDER BY id',
				)
				.all(BOARD)
			for (const row of rows) Y.applyUpdate(doc, row.update)
			const keys = doc.getArray<{ key: string }>(TL_RECORDS_KEY).map((e) => e.key)
			expect(keys).toContain(shape.id)
		} finally {
			other.$client.close()
		}

		const alice = connectClient(server, 'alice')
		try {
			await waitFor('a later client to get the shape', () => alice.get(shape.id))
		} finally {
			alice.destroy()
		}
	})
})

describe('BoardDocs.deleteRecords', () => {
	it('removes records from the doc and from clients', async () => {
		const alice = connectClient(server, 'alice')
		try {
			const [a, b] = [testShape(1), testShape(2)]
			server.collab.boards.writeRecords(BOARD, [a, b])
			await waitFor('alice to get both', () => alice.get(a.id) && alice.get(b.id))

			server.collab.boards.deleteRecords(BOARD, [a.id, 'shape:never-existed'])

			await waitFor('alice to lose one', () => !alice.get(a.id))
			expect(alice.get(b.id)).toEqual(b)
			expect(server.collab.boards.getRecord(BOARD, a.id)).toBeUndefined()
		} finally {
			alice.destroy()
		}
	})
})

describe('BoardDocs.setJobProgress', () => {
	const running: JobProgress = { status: 'running', progress: 0.4, position: null, etaMs: 1200 }

	it("shows job progress in clients' awareness without touching the doc", async () => {
		const alice = connectClient(server, 'alice')
		try {
			await waitFor('alice to sync', () => alice.provider.synced)
			const serverBefore = stateOf(server.collab.boards.getDoc(BOARD))
			const clientBefore = stateOf(alice.doc)

			server.collab.boards.setJobProgress(BOARD, 'job_abc123', running)
			server.collab.boards.setJobProgress(BOARD, 'job_def456', { ...running, progress: 0.9 })

			const state = await waitFor('the progress to arrive', () => {
				const s = serverState(alice)
				return s && Object.keys(s.jobs).length === 2 && s
			})
			expect(state.jobs.job_abc123).toEqual(running)
			expect(stateOf(server.collab.boards.getDoc(BOARD))).toEqual(serverBefore)
			expect(stateOf(alice.doc)).toEqual(clientBefore)

			server.collab.boards.setJobProgress(BOARD, 'job_abc123', null)
			server.collab.boards.setJobProgress(BOARD, 'job_def456', null)
			await waitFor('the server state to go', () => !serverState(alice))
		} finally {
			alice.destroy()
		}
	})

	it('shows progress set while nobody was connected to the next client', async () => {
		server.collab.boards.setJobProgress(BOARD, 'job_abc123', running)
		const alice = connectClient(server, 'alice')
		try {
			await waitFor('the progress to arrive', () => serverState(alice)?.jobs.job_abc123)
		} finally {
			alice.destroy()
		}
	})

	it('refuses progress that does not fit the schema', () => {
		expect(() =>
			server.collab.boards.setJobProgress(BOARD, 'job_abc123', { ...running, progress: 7 }),
		).toThrow()
	})
})
