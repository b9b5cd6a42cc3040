import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TLRecord } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import pino from 'pino'
import WebSocket from 'ws'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { canEdit as canEditRole } from '../../shared/api'
import { TL_RECORDS_KEY } from '../../shared/collab'
import { readKeyValue } from '../../shared/readKeyValue'
import { buildGenerationShape, buildPromptCard } from '../../shared/records'
import { createArborSchema } from '../../shared/shapes/schema'
import { type Db, openDb } from '../db/client'
import { attachCollab, type Collab } from './attachCollab'
import type { Authorize, CollabRole } from './upgradeAuth'

// The sync fuzz's parts: a seeded random source, a restartable collab server over one SQLite
// file, and y-websocket peers whose sockets duplicate and delay frames.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function createRng(seed: number) {
	let a = seed >>> 0
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0
		let t = a
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
	return {
		next,
		int: (n: number) => Math.floor(next() * n),
		chance: (p: number) => next() < p,
		pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
	}
}
export type Rng = ReturnType<typeof createRng>

export const FUZZ_USERS: Record<string, { id: string; role: CollabRole }> = {
	ed1: { id: 'usr_fuzzed01', role: 'owner' },
	ed2: { id: 'usr_fuzzed02', role: 'editor' },
	ed3: { id: 'usr_fuzzed03', role: 'editor' },
	view: { id: 'usr_fuzzview', role: 'viewer' },
	client: { id: 'usr_fuzzclnt', role: 'client' },
}

const fuzzAuthorize: Authorize = async (req) => {
	const as = new URL(req.url ?? '/', 'http://localhost').searchParams.get('as') ?? ''
	const entry = FUZZ_USERS[as]
	if (!entry) return { ok: false, reason: 'unauthenticated' }
	return { ok: true, user: { id: entry.id, name: as, color: '#888888' }, role: entry.role }
}

/** A collab server over one SQLite file that can be stopped and started again, like a deploy. */
export class FuzzServer {
	db!: Db
	collab!: Collab
	wsUrl = ''
	private http: Server | null = null

	constructor(private readonly dbFile: string) {}

	async start() {
		this.db = openDb(this.dbFile)
		const logger = pino({ level: 'silent' })
		this.http = createServer((_req, res) => res.writeHead(404).end())
		this.collab = attachCollab(this.http, { db: this.db, logger, authorize: fuzzAuthorize })
		await new Promise<void>((resolve) => this.http!.listen(0, '127.0.0.1', resolve))
		this.wsUrl = `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/yjs`
	}

	async stop() {
		const http = this.http
		if (!http) return
		this.http = null
		await this.collab.close()
		await new Promise<void>((resolve) => {
			http.close(() => resolve())
			http.closeAllConnections()
		})
		this.db.$client.close()
	}

	records(boardId: string): Map<string, TLRecord> {
		return new Map(this.collab.boards.readRecords(boardId).map((r) => [r.id, r]))
	}
}

/**
 * A ws socket class for y-websocket whose frames, both ways, are now and then sent twice or held
 * back a few milliseconds (so they also arrive out of order) — what a flaky proxy does.
 */
function flakySocket(rng: Rng) {
	const delay = () => 1 + rng.int(6)
	return class FlakySocket extends WebSocket {
		override send(data: Parameters<WebSocket['send']>[0]) {
			const sendNow = () => {
				if (this.readyState === WebSocket.OPEN) super.send(data)
			}
			if (rng.chance(0.1)) setTimeout(sendNow, delay())
			else sendNow()
			if (rng.chance(0.05)) setTimeout(sendNow, delay())
		}
		constructor(...args: ConstructorParameters<typeof WebSocket>) {
			super(...args)
			// y-websocket sets `onmessage`; wrap whatever handler it sets.
			const own = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!
			type Handler = (this: WebSocket, event: WebSocket.MessageEvent) => void
			Object.defineProperty(this, 'onmessage', {
				configurable: true,
				get: () => own.get!.call(this),
				set: (handler: Handler | null) =>
					own.set!.call(
						this,
						handler &&
							((event: WebSocket.MessageEvent) => {
								const deliver = () => handler.call(this, event)
								if (rng.chance(0.1)) setTimeout(deliver, delay())
								else deliver()
								if (rng.chance(0.05)) setTimeout(deliver, delay())
							}),
					),
			})
		}
	}
}

export interface Peer {
	name: string
	role: CollabRole
	doc: Y.Doc
	provider: WebsocketProvider
	/** The peer's record store; only for peers that may write. */
	readonly records: YKeyValue<TLRecord>
	snapshot(): Map<string, TLRecord>
	destroy(): void
}

/** A y-websocket peer as fuzz user `name`; its socket is flaky unless `flaky: false`. */
export function connectPeer(
	server: FuzzServer,
	boardId: string,
	name: string,
	rng: Rng,
	options: { flaky?: boolean } = {},
): Peer {
	const doc = new Y.Doc()
	const socket = options.flaky === false ? WebSocket : flakySocket(rng)
	const provider = new WebsocketProvider(server.wsUrl, boardId, doc, {
		WebSocketPolyfill: socket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: { as: name },
		// Restarts are part of the session: come back at once, not after seconds of backoff.
		maxBackoffTime: 20,
	})
	const array = doc.getArray<{ key: string; val: TLRecord }>(TL_RECORDS_KEY)
	const role = FUZZ_USERS[name].role
	// Only a peer that may write gets a YKeyValue: it deletes duplicate entries of a key as they
	// arrive, which is a write. A viewer's such writes are dropped by the server, and arrival
	// order differs between peers, so a viewer running it can delete the entry the server keeps and
	// lose the record (found by this fuzz, seed 236). Read-only peers read the array instead.
	const records = canEditRole(role) ? new YKeyValue<TLRecord>(array) : null
	return {
		name,
		role,
		doc,
		provider,
		get records() {
			if (!records) throw new Error(`${name} is read-only`)
			return records
		},
		snapshot: () => readKeyValue(array),
		destroy() {
			provider.destroy()
			doc.destroy()
		},
	}
}

const INDEXES = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8'] as IndexKey[]

/** A prompt card an editor puts down: a complete, valid tldraw record of an Arbor shape. */
export function fuzzCard(rng: Rng, tag: string): TLRecord {
	return buildPromptCard({
		jobId: `fz${tag}`,
		x: rng.int(4000) - 2000,
		y: rng.int(4000) - 2000,
		index: rng.pick(INDEXES),
		prompt: `card ${tag}`,
		aspectRatio: '1:1',
		author: 'fuzz',
	})
}

/** A job node the server writes, in some state of its life. */
export function fuzzNode(rng: Rng, jobId: string): TLRecord {
	const status = rng.pick(['queued', 'running', 'failed'] as const)
	const node = buildGenerationShape({
		jobId,
		op: 'imagine',
		label: 'Imagine',
		prompt: `job ${jobId}`,
		aspect: 1,
		status,
		x: rng.int(4000) - 2000,
		y: rng.int(4000) - 2000,
		index: rng.pick(INDEXES),
	})
	if (status === 'failed') node.props.error = 'out of memory'
	return node
}

let recordTypes: ReturnType<typeof createArborSchema>['types'] | undefined

/** Throws naming the record when one does not pass the board schema. */
export function assertValidRecord(record: TLRecord) {
	recordTypes ??= createArborSchema().types
	const type = (recordTypes as Record<string, { validate(r: unknown): unknown }>)[record.typeName]
	if (!type) throw new Error(`unknown record type ${record.typeName} (${record.id})`)
	type.validate(record)
}

/** A stable text of a record map, for comparing peers. */
export function canonical(records: Map<string, TLRecord>): string {
	return JSON.stringify([...records.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
}
