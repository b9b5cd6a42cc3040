import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import { YKeyValue } from 'y-utility/y-keyvalue'
import * as Y from 'yjs'
import { TL_RECORDS_KEY } from '../../shared/collab'
import { buildArrow, jobShapeIds } from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import { projectionOf } from './projection'
import {
	assertValidRecord,
	canonical,
	connectPeer,
	createRng,
	type FuzzServer,
	fuzzCard,
	fuzzNode,
	type Peer,
	type Rng,
} from './syncFuzzKit'
import { recordUpdate, syncFrame } from './testing'

// One seeded session of the sync fuzz (in the manner of tldraw's syncFuzz): peers edit, the server
// writes job nodes and arrows, sockets drop and come back, the server restarts from SQLite, frames
// are duplicated and delayed; then everything must agree.

const SYNC_UPDATE = 2
const STEPS = 18

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(
	what: string,
	check: () => boolean,
	options: { timeoutMs?: number; explain?: () => string } = {},
) {
	const deadline = Date.now() + (options.timeoutMs ?? 8000)
	while (!check()) {
		if (Date.now() > deadline)
			throw new Error(
				`timed out waiting for ${what}${options.explain ? `: ${options.explain()}` : ''}`,
			)
		await tick(5)
	}
}

/** Which records of `peer` differ from `expected`, for a failure message. */
function differences(name: string, peer: Map<string, TLRecord>, expected: Map<string, TLRecord>) {
	const ids = new Set([...peer.keys(), ...expected.keys()])
	const diff = [...ids].filter(
		(id) => JSON.stringify(peer.get(id)) !== JSON.stringify(expected.get(id)),
	)
	if (diff.length === 0) return ''
	const id = diff[0]
	return `${name}: ${diff.length} record(s) differ, e.g. ${id}: peer ${JSON.stringify(peer.get(id))?.slice(0, 160)} / expected ${JSON.stringify(expected.get(id))?.slice(0, 160)}`
}

/** An editor's edit of its own doc, as tldraw's store would make it through the Yjs binding. */
function editorEdit(rng: Rng, peer: Peer, step: number) {
	const ids = [...peer.records.map.keys()].filter((id) => id.startsWith('shape:'))
	const roll = rng.next()
	if (roll < 0.35 || ids.length === 0) {
		const card = fuzzCard(rng, `${peer.name}x${step}`)
		peer.records.set(card.id, card)
		return
	}
	const id = rng.pick(ids)
	const current = peer.records.get(id) as TLShape | undefined
	if (!current) return
	if (roll < 0.8) {
		// A drag: a burst of moves of one shape, in one transaction each.
		for (let k = 0, n = 1 + rng.int(4); k < n; k++)
			peer.records.set(id, { ...current, x: current.x + rng.int(200) - 100, y: current.y + k })
	} else if (roll < 0.92 && current.type === 'arbor-prompt') {
		peer.records.set(id, {
			...current,
			props: { ...current.props, prompt: `edited ${step}` },
		} as TLShape)
	} else {
		peer.records.delete(id)
	}
}

/** What the server writes at the same time: job nodes, their status, arrows between them. */
function serverWrite(rng: Rng, server: FuzzServer, boardId: string, jobs: string[], step: number) {
	const boards = server.collab.boards
	const roll = rng.next()
	if (roll < 0.4 || jobs.length < 2) {
		const jobId = `job_fuzz${step}n${jobs.length}`
		jobs.push(jobId)
		boards.writeRecords(boardId, [fuzzNode(rng, jobId)])
		return
	}
	const jobId = rng.pick(jobs)
	const node = boards.getRecord(boardId, jobShapeIds(jobId).node) as GenerationShape | undefined
	if (roll < 0.7) {
		if (!node) return
		const status = rng.pick(['queued', 'running', 'failed'] as const)
		boards.writeRecords(boardId, [
			{
				...node,
				props: { ...node.props, status, error: status === 'failed' ? 'out of memory' : '' },
			},
		])
		return
	}
	const from = boards.getRecord(boardId, jobShapeIds(rng.pick(jobs)).node) as
		| GenerationShape
		| undefined
	if (!from || !node || from.id === node.id) return
	boards.writeRecords(
		boardId,
		buildArrow({
			jobId,
			index: 'a9' as IndexKey,
			from: { shapeId: from.id, anchor: { x: 1, y: 0.5 }, point: { x: from.x, y: from.y } },
			to: { shapeId: node.id, anchor: { x: 0, y: 0.5 }, point: { x: node.x, y: node.y } },
			meta: {},
		}),
	)
}

/** A viewer or a client trying to write anyway: a forged update straight on its socket. */
function forgeWrite(rng: Rng, peer: Peer, step: number, forged: Set<string>) {
	const card = fuzzCard(rng, `forged${peer.name}x${step}`)
	forged.add(card.id)
	const ws = peer.provider.ws
	if (ws?.readyState === 1) ws.send(syncFrame(SYNC_UPDATE, recordUpdate(card)))
}

export interface SessionOptions {
	seed: number
	server: FuzzServer
}

/** Runs one seeded session; throws with what went wrong. */
export async function runSession({ seed, server }: SessionOptions): Promise<void> {
	const rng = createRng(seed)
	const boardId = `brd_fuzz${String(seed).padStart(6, '0')}`
	const names = ['ed1', 'ed2', 'ed3', 'view', 'client'] as const
	// 2–4 peers: at least two editors, then any of a third editor, a viewer, a client.
	const extra = names
		.slice(2)
		.filter(() => rng.chance(0.6))
		.slice(0, 2)
	const peers = [...names.slice(0, 2), ...extra].map((name) =>
		connectPeer(server, boardId, name, rng),
	)
	const jobs: string[] = []
	const forged = new Set<string>()
	const reconnect = (peer: Peer) => {
		peer.provider.serverUrl = server.wsUrl
		peer.provider.connect()
	}
	try {
		await until('peers to sync', () => peers.every((p) => p.provider.synced))
		for (let step = 0; step < STEPS; step++) {
			const roll = rng.next()
			const peer = rng.pick(peers)
			if (roll < 0.5) {
				if (peer.role === 'viewer' || peer.role === 'client') forgeWrite(rng, peer, step, forged)
				else editorEdit(rng, peer, step)
			} else if (roll < 0.8) {
				serverWrite(rng, server, boardId, jobs, step)
			} else if (roll < 0.9) {
				if (peer.provider.shouldConnect) peer.provider.disconnect()
				else reconnect(peer)
			} else if (roll < 0.95) {
				// A deploy: the server stops (storing every board) and starts again from SQLite.
				await server.stop()
				await server.start()
				for (const p of peers) p.provider.serverUrl = server.wsUrl
			}
			// Let some frames through (or not) before the next step.
			if (rng.chance(0.5)) await tick(rng.int(3))
		}
		for (const peer of peers) if (!peer.provider.shouldConnect) reconnect(peer)
		await checkConverged({ server, boardId, peers, forged })
	} finally {
		for (const peer of peers) peer.destroy()
	}
}

async function checkConverged(options: {
	server: FuzzServer
	boardId: string
	peers: Peer[]
	forged: Set<string>
}) {
	const { server, boardId, peers, forged } = options
	const full = peers.filter((p) => p.role !== 'client')
	const clients = peers.filter((p) => p.role === 'client')
	const expectedClient = () =>
		canonical(new Map(projectionOf(server.db, boardId).records.map((r) => [r.id, r])))
	await until(
		'every peer to hold the server’s records',
		() =>
			full.every((p) => canonical(p.snapshot()) === canonical(server.records(boardId))) &&
			clients.every((p) => canonical(p.snapshot()) === expectedClient()),
		{
			explain: () =>
				[
					...full.map((p) =>
						differences(
							`${p.name} (${p.provider.wsconnected ? 'connected' : 'disconnected'})`,
							p.snapshot(),
							server.records(boardId),
						),
					),
					...clients.map((p) =>
						differences(
							p.name,
							p.snapshot(),
							new Map(projectionOf(server.db, boardId).records.map((r) => [r.id, r])),
						),
					),
				]
					.filter(Boolean)
					.join('; '),
		},
	)
	const final = server.records(boardId)
	for (const id of forged)
		if (final.has(id)) throw new Error(`a viewer's or client's write reached the doc: ${id}`)
	for (const record of final.values()) assertValidRecord(record)
	// The doc as SQLite has it (every update is stored as it happens): reloaded, the same board.
	const rows = server.db.$client
		.prepare<[string], { update: Buffer }>(
			'SELECT "update" FROM yjs_updates WHERE board_id = ? ORDER BY id',
		)
		.all(boardId)
	const doc = new Y.Doc()
	doc.transact(() => {
		for (const row of rows) Y.applyUpdate(doc, row.update)
	})
	const reloaded = new YKeyValue<TLRecord>(doc.getArray(TL_RECORDS_KEY))
	const stored = new Map([...reloaded.map.entries()].map(([id, entry]) => [id, entry.val]))
	doc.destroy()
	if (canonical(stored) !== canonical(final))
		throw new Error('the doc reloaded from SQLite differs from the one in memory')
}
