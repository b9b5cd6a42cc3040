import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { docs } from '@y/websocket-server/utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { META_KEY, TL_RECORDS_KEY } from '../../shared/collab'
import {
	BOARD,
	clientShape,
	connectClient,
	startCollabServer,
	type TestCollabServer,
	waitFor,
} from './testing'

// Idle boards leave memory: a board nobody has open is dropped after the idle timeout (never while
// a socket is open or canvas writes are owed to it) and loads again, the same, when someone comes.

const IDLE_MS = 300
let dir: string
let server: TestCollabServer

/** Whether this server holds the board's doc in memory (doc names end in `/<boardId>`). */
const inMemory = () => [...docs.keys()].some((name) => name.endsWith(`/${BOARD}`))

const content = (doc: Y.Doc) => ({
	records: doc.getArray(TL_RECORDS_KEY).toJSON(),
	meta: doc.getMap(META_KEY).toJSON(),
})

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'arbor-idle-'))
	server = await startCollabServer({ dbFile: join(dir, 'arbor.db'), idleDocMs: IDLE_MS })
})

afterEach(async () => {
	await server.close()
	rmSync(dir, { recursive: true, force: true })
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('idle boards', () => {
	it('stay while someone is connected, are dropped once idle, and reload the same', async () => {
		const alice = connectClient(server, 'alice')
		await waitFor('alice to sync', () => alice.provider.synced)
		const shape = clientShape(1)
		alice.records.set(shape.id, shape)
		await waitFor('the server to hold the shape', () =>
			server.collab.boards.getRecord(BOARD, shape.id),
		)
		await sleep(IDLE_MS * 3)
		expect(inMemory()).toBe(true)
		const before = content(server.collab.boards.getDoc(BOARD))
		alice.destroy()

		// Kept a while after the last person leaves (a page reload finds it warm), then dropped.
		await sleep(IDLE_MS / 3)
		expect(inMemory()).toBe(true)
		await waitFor('the idle board to be dropped', () => !inMemory(), IDLE_MS * 10)

		const bob = connectClient(server, 'bob')
		try {
			await waitFor('bob to get the shape', () => bob.get(shape.id))
			expect(inMemory()).toBe(true)
			expect(content(server.collab.boards.getDoc(BOARD))).toEqual(before)
			expect(content(bob.doc)).toEqual(before)
		} finally {
			bob.destroy()
		}
	})

	it('are kept while canvas writes are still owed to them', async () => {
		server.collab.boards.getDoc(BOARD)
		server.db.$client
			.prepare(
				"INSERT INTO canvas_outbox (board_id, job_id, write) VALUES (?, 'job_owed0001', '{}')",
			)
			.run(BOARD)
		await sleep(IDLE_MS * 4)
		expect(inMemory()).toBe(true)

		server.db.$client.prepare('DELETE FROM canvas_outbox WHERE board_id = ?').run(BOARD)
		await waitFor('the board to be dropped', () => !inMemory(), IDLE_MS * 10)
	})
})
