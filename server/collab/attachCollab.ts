import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { WSSharedDoc } from '@y/websocket-server/utils'
import type { Logger } from 'pino'
import { type WebSocket, WebSocketServer } from 'ws'
import { CLOSE_CODES } from '../../shared/collab'
import type { Db } from '../db/client'
import { reviewMarksLoader } from '../queries/review'
import { type BoardDocs, createBoardDocs } from './boardDocs'
import { type BoardConnection, serveConnection } from './connection'
import { createDocNamespace } from './docRegistry'
import { createBoardPersistence } from './persistence'
import { createProjections, type Projections } from './projection'
import {
	type Authorize,
	type AuthorizeResult,
	type CollabRole,
	parseBoardPath,
	refusalCloseCode,
} from './upgradeAuth'

export interface CollabOptions {
	db: Db
	logger: Logger
	/** Decides once per upgrade who is connecting and with what role. */
	authorize: Authorize
	/** Stored updates per board before they are compacted into one. Default 200. */
	compactAfterRows?: number
	/**
	 * A board nobody is connected to is stored at once and dropped from memory after this long
	 * (`ARBOR_IDLE_BOARD_MS`), unless canvas writes are still owed to it; the next socket or server
	 * write loads it again from SQLite. Default 30 s.
	 */
	idleDocMs?: number
	/** Largest frame a client may send, in bytes. Default 32 MiB. */
	maxPayload?: number
	/**
	 * Board sockets one user may have open at once, over all boards (tabs, devices). Default 16;
	 * one more is refused with `CLOSE_CODES.tooManyConnections`.
	 */
	maxSocketsPerUser?: number
}

const DEFAULT_MAX_SOCKETS_PER_USER = 16

export interface CollabConnectionInfo {
	userId: string
	role: CollabRole
	shareLinkId?: string
}

export interface Collab {
	boards: BoardDocs
	/** The client views: rebuild one after changing what its clients may see. */
	projections: Projections
	/**
	 * Closes the sockets of one board matching a predicate (when access is revoked). They stop
	 * receiving updates at once; returns how many were closed.
	 */
	closeConnections(
		boardId: string,
		match: (c: CollabConnectionInfo) => boolean,
		code: number,
	): number
	/** Stops accepting sockets, closes the open ones (1001) and stores every board in memory. */
	close(): Promise<void>
}

const DEFAULT_IDLE_DOC_MS = 30_000
const DEFAULT_MAX_PAYLOAD = 32 * 1024 * 1024
/** Close code for a failure on our side: y-websocket retries it. */
const INTERNAL_ERROR = 1011
const GOING_AWAY = 1001

/**
 * Serves Yjs rooms at `/yjs/:boardId` on an existing HTTP server: authorizes each upgrade, loads
 * and persists board docs in SQLite, validates every frame and enforces read-only viewers; clients
 * are served the board's projection (the client view) instead of its doc.
 *
 * @example
 * const collab = attachCollab(server, { db, logger, authorize: async (req, boardId) => … })
 * collab.boards.writeRecords(boardId, records)
 * await collab.close()
 */
export function attachCollab(server: Server, options: CollabOptions): Collab {
	const logger = options.logger.child({ module: 'collab' })
	const idleDocMs = options.idleDocMs ?? DEFAULT_IDLE_DOC_MS
	const persistence = createBoardPersistence({
		db: options.db,
		logger,
		compactAfterRows: options.compactAfterRows,
	})
	const namespace = createDocNamespace({
		bindState(boardId, doc) {
			try {
				persistence.bind(boardId, doc)
			} catch (err) {
				// getYDoc never registers a doc whose bindState threw; stop its awareness timer too.
				doc.destroy()
				throw err
			}
			boards.restoreServerAwareness(boardId, doc)
		},
		writeState(boardId, doc) {
			if (persistence.flush(boardId, doc)) return Promise.resolve()
			// The package drops the doc from its map after this call and destroys it once we
			// resolve. Its store failed, so it stays: back in the map, never resolved; the sweeper
			// retries the store.
			namespace.keep(boardId, doc)
			return new Promise<void>(() => {})
		},
	})
	const loadReviewMarks = reviewMarksLoader(options.db, logger)
	const boards = createBoardDocs({ namespace, loadReviewMarks })
	const projections = createProjections({ db: options.db, logger })
	const connections = new Map<string, Set<BoardConnection>>()
	/** Open (or opening) board sockets per user id, for `maxSocketsPerUser`. */
	const socketsPerUser = new Map<string, number>()
	const maxSocketsPerUser = options.maxSocketsPerUser ?? DEFAULT_MAX_SOCKETS_PER_USER
	const countSocket = (userId: string, delta: 1 | -1) => {
		const next = (socketsPerUser.get(userId) ?? 0) + delta
		if (next <= 0) socketsPerUser.delete(userId)
		else socketsPerUser.set(userId, next)
	}
	const wss = new WebSocketServer({
		noServer: true,
		maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
	})
	let closing = false

	/** Stores a doc nobody is connected to and drops it from memory; keeps it if the store fails. */
	function release(boardId: string, doc: WSSharedDoc) {
		if (persistence.flush(boardId, doc)) namespace.evict(boardId, doc)
	}

	/**
	 * The last socket left: the doc is stored now (compacted) and stays in memory until it has been
	 * idle for `idleDocMs`, so a reload of the page finds it warm.
	 */
	function emptied(boardId: string, doc: WSSharedDoc) {
		persistence.flush(boardId, doc)
		namespace.touch(boardId)
	}

	// Canvas writes owed to a board (server/canvas: an outbox row not yet drained) are made into its
	// doc; a board that still owes some stays in memory, where the next drain finds it.
	const owedWrites = options.db.$client.prepare<[string], { one: number }>(
		'SELECT 1 AS one FROM canvas_outbox WHERE board_id = ? LIMIT 1',
	)
	const idle = (boardId: string, doc: WSSharedDoc, lastUsed: number, now: number) =>
		doc.conns.size === 0 && now - lastUsed >= idleDocMs && owedWrites.get(boardId) === undefined

	/** Closes a socket that is never served. Frames it sends meanwhile are ignored. */
	function closeUnserved(ws: WebSocket, code: number, reason: string) {
		// Without a listener, a protocol error from the peer would be thrown.
		ws.on('error', (err) => logger.debug({ err }, 'socket error on a refused socket'))
		ws.close(code, reason)
	}

	function accept(ws: WebSocket, boardId: string, decision: AuthorizeResult & { ok: true }) {
		// A client is served the board's projection, never its doc: what it is never sent cannot
		// leak. The projection is read-only like a viewer's doc (readOnlyFilter drops its writes).
		const client = decision.role === 'client'
		let doc: WSSharedDoc
		try {
			doc = client ? projections.open(boardId) : namespace.get(boardId)
		} catch (err) {
			logger.error({ err, boardId, client }, 'could not load the board doc')
			closeUnserved(ws, INTERNAL_ERROR, 'could not load board')
			return
		}
		const connection = serveConnection({
			ws,
			doc,
			boardId,
			user: decision.user,
			role: decision.role,
			shareLinkId: decision.shareLinkId,
			logger,
			onLastDetached: (last) =>
				client ? projections.release(boardId, last) : emptied(boardId, last),
			onClosed() {
				const set = connections.get(boardId)
				set?.delete(connection)
				if (set?.size === 0) connections.delete(boardId)
			},
		})
		let set = connections.get(boardId)
		if (!set) {
			set = new Set()
			connections.set(boardId, set)
		}
		set.add(connection)
	}

	function refuse(
		req: IncomingMessage,
		socket: Duplex,
		head: Buffer,
		code: number,
		reason: string,
	) {
		// A plain HTTP 401 makes y-websocket retry forever: accept, then close with a 44xx code.
		wss.handleUpgrade(req, socket, head, (ws) => closeUnserved(ws, code, reason))
	}

	async function upgradeBoard(req: IncomingMessage, socket: Duplex, head: Buffer) {
		// Node removes its own error listener from upgraded sockets; until ws adds one, an error
		// (a client resetting during authorize) would be thrown.
		const onSocketError = (err: Error) => logger.debug({ err }, 'socket error during upgrade')
		socket.on('error', onSocketError)
		const path = parseBoardPath(req.url)
		if (path.kind !== 'board')
			return refuse(req, socket, head, refusalCloseCode('not_found'), 'not_found')
		const { boardId } = path
		let decision: AuthorizeResult
		try {
			decision = await options.authorize(req, boardId)
		} catch (err) {
			logger.error({ err, boardId }, 'authorize failed')
			return refuse(req, socket, head, INTERNAL_ERROR, 'authorize failed')
		}
		if (socket.destroyed) return
		if (closing) return refuse(req, socket, head, GOING_AWAY, 'server shutting down')
		if (!decision.ok) {
			logger.debug({ boardId, reason: decision.reason }, 'refused a board socket')
			return refuse(req, socket, head, refusalCloseCode(decision.reason), decision.reason)
		}
		const userId = decision.user.id
		if ((socketsPerUser.get(userId) ?? 0) >= maxSocketsPerUser) {
			logger.warn({ boardId, userId }, 'refused a board socket: too many for one user')
			return refuse(req, socket, head, CLOSE_CODES.tooManyConnections, 'too many connections')
		}
		// Counted from here, before the handshake completes, so parallel upgrades cannot all pass;
		// uncounted when the TCP socket closes, which covers a handshake that never completes too.
		countSocket(userId, 1)
		socket.once('close', () => countSocket(userId, -1))
		wss.handleUpgrade(req, socket, head, (ws) => {
			socket.off('error', onSocketError)
			accept(ws, boardId, decision)
		})
	}

	const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		// Other paths belong to other upgrade handlers (e.g. Vite's HMR in development).
		if (parseBoardPath(req.url).kind === 'other') return
		upgradeBoard(req, socket, head).catch((err) => {
			logger.error({ err }, 'board socket upgrade failed')
			socket.destroy()
		})
	}
	server.on('upgrade', onUpgrade)

	// Docs with no connection (everyone left, loaded by the server's own writes, or kept after a
	// failed store) are stored and dropped once idle.
	const sweeper = setInterval(
		() => {
			const now = Date.now()
			for (const { boardId, doc, lastUsed } of namespace.loaded()) {
				if (idle(boardId, doc, lastUsed, now)) release(boardId, doc)
			}
		},
		Math.min(idleDocMs, 10_000),
	)
	sweeper.unref()

	return {
		boards,
		projections: { refresh: (boardId) => projections.refresh(boardId) },
		closeConnections(boardId, match, code) {
			let count = 0
			for (const connection of connections.get(boardId) ?? []) {
				const info = {
					userId: connection.user.id,
					role: connection.role,
					shareLinkId: connection.shareLinkId,
				}
				if (!match(info)) continue
				connection.close(code, 'access revoked')
				count += 1
			}
			return count
		},
		async close() {
			if (closing) return
			closing = true
			server.off('upgrade', onUpgrade)
			clearInterval(sweeper)
			const all = [...connections.values()].flatMap((set) => [...set])
			for (const connection of all) connection.close(GOING_AWAY, 'server shutting down')
			// Closing detached every socket, which stored and dropped each doc it emptied; what is left
			// was loaded by the server alone or kept after a failed store.
			for (const { boardId, doc } of namespace.loaded()) {
				if (doc.conns.size === 0) release(boardId, doc)
			}
			await Promise.all(all.map((connection) => connection.closed))
			// Refused sockets still in their close handshake: wss.close waits for every socket.
			for (const ws of wss.clients) ws.terminate()
			await new Promise<void>((resolve) => wss.close(() => resolve()))
			namespace.close()
			projections.close()
		},
	}
}
