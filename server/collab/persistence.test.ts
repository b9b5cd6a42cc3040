import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { META_KEY, SCHEMA_KEY, TL_RECORDS_KEY } from '../../shared/collab'
import { MAX_COORDINATE } from '../../shared/coordinates'
import { BOARD_DOCUMENT_ID, BOARD_PAGE_ID } from '../../shared/records'
import { createArborSchema } from '../../shared/shapes/schema'
import type { CollabOptions } from './attachCollab'
import {
	BOARD,
	clientShape,
	connectClient,
	startCollabServer,
	type TestCollabServer,
	testShape,
	waitFor,
} from './testing'

let dir: string
let server: TestCollabServer

const dbFile = () => join(dir, 'arbor.db')

async function restart(options: Partial<Omit<CollabOptions, 'db' | 'logger'>> = {}) {
	await server.close()
	server = await startCollabServer({ dbFile: dbFile(), ...options })
}

function rowCount(): number {
	const row = server.db.$client
		.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM yjs_updates WHERE board_id = ?')
		.get(BOARD)
	return row?.n ?? 0
}

/** What a fresh load would see: the stored rows applied to a new doc. */
function storedDoc(): Y.Doc {
	const rows = server.db.$client
		.prepare<[string], { update: Buffer }>(
			'SELECT "update" FROM yjs_updates WHERE board_id = ? ORDER BY id',
		)
		.all(BOARD)
	const doc = new Y.Doc()
	for (const row of rows) Y.applyUpdate(doc, row.update)
	return doc
}

function storedRecordIds(): string[] {
	return storedDoc()
		.getArray<{ key: string }>(TL_RECORDS_KEY)
		.toArray()
		.map((entry) => entry.key)
}

/** The doc's whole content, for comparing two loads of the same board. */
function content(doc: Y.Doc) {
	return {
		records: doc.getArray(TL_RECORDS_KEY).toJSON(),
		meta: doc.getMap(META_KEY).toJSON(),
	}
}

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'arbor-collab-'))
	server = await startCollabServer({ dbFile: dbFile() })
})

afterEach(async () => {
	await server.close()
	rmSync(dir, { recursive: true, force: true })
})

describe('board persistence', () => {
	it('seeds a new board with its document, page and schema, and stores it', () => {
		const doc = server.collab.boards.getDoc(BOARD)

		const ids = server.collab.boards.readRecords(BOARD).map((r) => r.id)
		expect(ids.sort()).toEqual([BOARD_DOCUMENT_ID, BOARD_PAGE_ID].sort())
		expect(doc.getMap(META_KEY).get(SCHEMA_KEY)).toEqual(createArborSchema().serialize())
		expect(rowCount()).toBe(1)
	})

	it('stores every update as it arrives', async () => {
		const alice = connectClient(server, 'alice')
		try {
			await waitFor('alice to sync', () => alice.provider.synced)
			const before = rowCount()
			const shape = clientShape(1)
			alice.records.set(shape.id, shape)
			await waitFor('the update to be stored', () => rowCount() === before + 1)
			expect(storedRecordIds()).toContain(shape.id)
		} finally {
			alice.destroy()
		}
	})

	it('keeps the doc across a restart', async () => {
		const alice = connectClient(server, 'alice')
		const fromClient = clientShape(1)
		const fromServer = testShape(2)
		await waitFor('alice to sync', () => alice.provider.synced)
		alice.records.set(fromClient.id, fromClient)
		server.collab.boards.writeRecords(BOARD, [fromServer])
		await waitFor("the server to get alice's shape", () =>
			server.collab.boards.getRecord(BOARD, fromClient.id),
		)
		const before = content(server.collab.boards.getDoc(BOARD))
		alice.destroy()

		await restart()

		expect(content(server.collab.boards.getDoc(BOARD))).toEqual(before)
		const bob = connectClient(server, 'bob')
		try {
			await waitFor(
				'bob to get both shapes',
				() => bob.get(fromClient.id) && bob.get(fromServer.id),
			)
		} finally {
			bob.destroy()
		}
	})

	it('compacts stored updates into one without changing the doc', async () => {
		await restart({ compactAfterRows: 10 })
		let most = 0
		for (let n = 1; n <= 25; n++) {
			server.collab.boards.writeRecords(BOARD, [testShape(n)])
			most = Math.max(most, rowCount())
		}
		// 26 updates (seed + 25 writes) were made, never more than 11 rows stored.
		expect(most).toBeLessThanOrEqual(11)
		const before = content(server.collab.boards.getDoc(BOARD))

		await restart({ compactAfterRows: 10 })

		expect(content(server.collab.boards.getDoc(BOARD))).toEqual(before)
		expect(server.collab.boards.readRecords(BOARD)).toHaveLength(27)
	})

	it('compacts when the last client leaves', async () => {
		const alice = connectClient(server, 'alice')
		await waitFor('alice to sync', () => alice.provider.synced)
		for (let n = 1; n <= 5; n++) {
			const shape = clientShape(n)
			alice.records.set(shape.id, shape)
		}
		await waitFor('the updates to be stored', () => rowCount() >= 6)
		alice.destroy()
		await waitFor('the rows to be compacted', () => rowCount() === 1)
	})

	it('keeps a doc whose store fails in memory and stores it once it can', async () => {
		await restart({ idleDocMs: 20 })
		server.collab.boards.getDoc(BOARD)
		const sqlite = server.db.$client
		sqlite.exec(`CREATE TRIGGER fail_yjs BEFORE INSERT ON yjs_updates
			BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
		const shape = testShape(1)

		server.collab.boards.writeRecords(BOARD, [shape])

		const failures = () => server.logs.filter((l) => l.boardId === BOARD && l.level >= 50).length
		// The update failed, then the idle sweeper failed to store the doc (at least) once.
		await waitFor('two failed stores', () => failures() >= 2)
		// Still in memory: a reload from SQLite would not have the shape.
		expect(server.collab.boards.getRecord(BOARD, shape.id)).toEqual(shape)

		expect(storedRecordIds()).not.toContain(shape.id)

		sqlite.exec('DROP TRIGGER fail_yjs')
		await waitFor('the sweeper to store the doc', () => storedRecordIds().includes(shape.id))
		expect(rowCount()).toBe(1)
		await restart()
		expect(server.collab.boards.getRecord(BOARD, shape.id)).toEqual(shape)
	})
})

describe('a board bricked by a far-away record', () => {
	it('is repaired on load: positions beyond the board are brought back to its edge', async () => {
		// Written as an editor's client could, before updates were validated: x = 1e308.
		const doc = server.collab.boards.getDoc(BOARD)
		const far = { ...testShape(1), x: 1e308, y: -Infinity }
		const fine = testShape(2)
		doc.transact(() => {
			doc.getArray(TL_RECORDS_KEY).push([
				{ key: far.id, val: far },
				{ key: fine.id, val: fine },
			])
		})
		await restart()
		const records = server.collab.boards.readRecords(BOARD)
		const repaired = records.find((r) => r.id === far.id) as typeof far | undefined
		expect(repaired).toMatchObject({ x: MAX_COORDINATE, y: -MAX_COORDINATE })
		expect(records.find((r) => r.id === fine.id)).toEqual(fine)
		// And it stays repaired: the fix is stored like any other update.
		const stored = storedDoc()
			.getArray<{ key: string; val: typeof far }>(TL_RECORDS_KEY)
			.toArray()
			.filter((e) => e.key === far.id)
		expect(stored.at(-1)?.val.x).toBe(MAX_COORDINATE)
	})
})
