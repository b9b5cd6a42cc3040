import { createServer, type Server } from 'node:http'
import { type AddressInfo, connect, type Socket } from 'node:net'
import type { TLRecord } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import * as encoding from 'lib0/encoding'
import pino from 'pino'
import WebSocket from 'ws'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { type Presence, TL_RECORDS_KEY } from '../../shared/collab'
import { BOARD_PAGE_ID, buildGenerationShape } from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import { type Db, openDb } from '../db/client'
import { attachCollab, type Collab, type CollabOptions } from './attachCollab'
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from './messages'
import type { Authorize, CollabRole, CollabUser } from './upgradeAuth'

// Test kit for the collab suites: a real HTTP server on port 0, a real SQLite file, real
// y-websocket clients and raw `ws` sockets for hand-made frames.

export const BOARD = 'brd_abcdef123'
export const OTHER_BOARD = 'brd_zyxwvu987'
/** A well-formed board id that `testAuthorize` says does not exist. */
export const MISSING_BOARD = 'brd_missing000'

export const TEST_USERS: Record<string, { user: CollabUser; role: CollabRole }> = {
	alice: { user: { id: 'usr_alice01', name: 'Alice', color: '#e03131' }, role: 'owner' },
	bob: { user: { id: 'usr_bob0001', name: 'Bob', color: '#1971c2' }, role: 'editor' },
	vera: { user: { id: 'usr_vera001', name: 'Vera', color: '#2f9e44' }, role: 'viewer' },
}

/** `?as=<name>` picks a test user; `mallory` is a signed-in stranger; no `as` is nobody. */
export const testAuthorize: Authorize = async (req, boardId) => {
	const as = new URL(req.url ?? '/', 'http://localhost').searchParams.get('as')
	if (boardId === MISSING_BOARD) return { ok: false, reason: 'not_found' }
	if (as === 'mallory') return { ok: false, reason: 'forbidden' }
	const entry = as ? TEST_USERS[as] : undefined
	if (!entry) return { ok: false, reason: 'unauthenticated' }
	return { ok: true, ...entry }
}

export interface LogLine {
	level: number
	msg: string
	boardId?: string
	reason?: string
	[key: string]: unknown
}

export interface TestCollabServer {
	/** Base URL for y-websocket: the board id is appended. */
	wsUrl: string
	collab: Collab
	db: Db
	http: Server
	logs: LogLine[]
	close(): Promise<void>
}

export async function startCollabServer(
	options: { dbFile: string } & Partial<Omit<CollabOptions, 'db' | 'logger'>>,
): Promise<TestCollabServer> {
	const { dbFile, ...rest } = options
	const db = openDb(dbFile)
	const logs: LogLine[] = []
	const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) })
	const http = createServer((_req, res) => res.writeHead(404).end())
	const collab = attachCollab(http, { db, logger, authorize: testAuthorize, ...rest })
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
	const { port } = http.address() as AddressInfo
	return {
		wsUrl: `ws://127.0.0.1:${port}/yjs`,
		collab,
		db,
		http,
		logs,
		async close() {
			await collab.close()
			await new Promise<void>((resolve) => {
				http.close(() => resolve())
				http.closeAllConnections()
			})
			db.$client.close()
		},
	}
}

/** Polls `check` until it returns something truthy; fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(
	what: string,
	check: () => T | undefined | null | false,
	timeoutMs = 5000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs
	for (;;) {
		const value = check()
		if (value) return value
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
		await new Promise((resolve) => setTimeout(resolve, 10))
	}
}

export interface TestClient {
	doc: Y.Doc
	provider: WebsocketProvider
	records: YKeyValue<TLRecord>
	get(id: string): TLRecord | undefined
	destroy(): void
}

/** A real y-websocket client as test user `as`, with that user's presence in awareness. */
export function connectClient(server: TestCollabServer, as: string, boardId = BOARD): TestClient {
	const doc = new Y.Doc()
	const provider = new WebsocketProvider(server.wsUrl, boardId, doc, {
		// ws implements the WebSocket interface y-websocket uses; only the DOM typings differ.
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		// Node 20 has BroadcastChannel: without this, clients in one process would sync around the
		// server and the tests would prove nothing.
		disableBc: true,
		params: { as },
		connect: false,
	})
	const entry = TEST_USERS[as]
	if (entry) provider.awareness.setLocalState({ user: entry.user } satisfies Presence)
	provider.connect()
	const records = new YKeyValue<TLRecord>(doc.getArray(TL_RECORDS_KEY))
	return {
		doc,
		provider,
		records,
		get: (id) => records.get(id),
		destroy() {
			provider.destroy()
			doc.destroy()
		},
	}
}

export interface RawClient {
	ws: WebSocket
	received: Uint8Array[]
	/** Resolves with the close code and reason when the server closes the socket. */
	closed: Promise<{ code: number; reason: string }>
	opened: Promise<void>
	send(frame: Uint8Array): void
}

/** A bare socket on a board, for frames no y-websocket client would send. */
export function connectRaw(server: TestCollabServer, query: string, boardId = BOARD): RawClient {
	const ws = new WebSocket(`${server.wsUrl}/${boardId}${query}`)
	const received: Uint8Array[] = []
	ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)))
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
	)
	const opened = new Promise<void>((resolve, reject) => {
		ws.on('open', () => resolve())
		ws.on('error', reject)
	})
	return { ws, received, closed, opened, send: (frame) => ws.send(frame) }
}

export function syncFrame(subtype: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MESSAGE_SYNC)
	encoding.writeVarUint(encoder, subtype)
	encoding.writeVarUint8Array(encoder, payload)
	return encoding.toUint8Array(encoder)
}

/** An awareness message; `json` sends a state as written (JSON.stringify cannot spell 1e400). */
export function awarenessFrame(
	entries: Array<{ clientId: number; clock: number } & ({ state: unknown } | { json: string })>,
): Uint8Array {
	const update = encoding.createEncoder()
	encoding.writeVarUint(update, entries.length)
	for (const entry of entries) {
		encoding.writeVarUint(update, entry.clientId)
		encoding.writeVarUint(update, entry.clock)
		encoding.writeVarString(update, 'json' in entry ? entry.json : JSON.stringify(entry.state))
	}
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
	encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update))
	return encoding.toUint8Array(encoder)
}

/** A Yjs update that puts `record` into a board doc's records, made on a scratch doc. */
export function recordUpdate(record: TLRecord): Uint8Array {
	const doc = new Y.Doc()
	doc.getArray(TL_RECORDS_KEY).push([{ key: record.id, val: record }])
	return Y.encodeStateAsUpdate(doc)
}

/**
 * A complete, valid tldraw frame: a record any editor's client may write (an Arbor node may only
 * come from the server, so tests that need a client-written marker use this).
 */
export function frameRecord(id: string, x = 0): TLRecord {
	return {
		id: id.startsWith('shape:') ? id : `shape:${id}`,
		typeName: 'shape',
		type: 'frame',
		x,
		y: 0,
		rotation: 0,
		index: 'a3',
		parentId: BOARD_PAGE_ID,
		isLocked: false,
		opacity: 1,
		meta: {},
		props: { w: 100, h: 100, name: 'marker', color: 'black' },
	} as TLRecord
}

/** A shape an editor's client may write (a frame), numbered like `testShape`. */
export function clientShape(n: number): TLRecord {
	return frameRecord(`client-${n}`, n * 400)
}

/** A complete, valid Arbor generation node for a made-up job. */
export function testShape(n: number, status: 'queued' | 'done' = 'queued'): GenerationShape {
	return buildGenerationShape({
		jobId: `job_test${String(n).padStart(4, '0')}`,
		op: 'imagine',
		label: 'Imagine',
		prompt: `a lighthouse, take ${n}`,
		aspect: 1,
		status,
		x: n * 400,
		y: 0,
		index: 'a2' as IndexKey,
	})
}

/**
 * Upgrades a bare TCP socket to a board socket by hand, so a test can then write bytes that are
 * not even a valid WebSocket frame. Resolves once the server has answered 101.
 */
export function upgradeByHand(server: TestCollabServer, pathAndQuery: string): Promise<Socket> {
	const { port } = server.http.address() as AddressInfo
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1', () => {
			socket.write(
				`GET /yjs/${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
					'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
					'Sec-WebSocket-Version: 13\r\n\r\n',
			)
		})
		socket.once('data', (data) =>
			data.toString().startsWith('HTTP/1.1 101')
				? resolve(socket)
				: reject(new Error(String(data))),
		)
		socket.on('error', reject)
	})
}
