import type { WSSharedDoc } from '@y/websocket-server/utils'
import * as encoding from 'lib0/encoding'
import type { Logger } from 'pino'
import type { RawData, WebSocket } from 'ws'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import { canEdit } from '../../shared/api'
import { CLOSE_CODES } from '../../shared/collab'
import { admitAwareness, registerSocketUser } from './awarenessGate'
import { applyGuardedUpdate } from './lockGuard'
import {
	type ClientMessage,
	decodeClientMessage,
	MESSAGE_AWARENESS,
	MESSAGE_SYNC,
} from './messages'
import { canApply } from './readOnlyFilter'
import type { CollabRole, CollabUser } from './upgradeAuth'
import { withWriteGuard } from './writeGuard'

// Why not `setupWSConnection` from @y/websocket-server: its message listener applies every frame
// straight to the doc and swallows errors into console.error — there is no hook to check a frame,
// drop a viewer's writes or close a sender with a code. Wrapping its listener would depend on how
// it registers it. So this is the same protocol (y-protocols calls, the doc's `conns` bookkeeping,
// ping/pong) with a gate in front: decode and validate, filter by role, then apply. Everything else
// stays the package's: WSSharedDoc broadcasts doc and awareness updates to every socket in
// `doc.conns`, and getYDoc/persistence load docs.

/** How long a closing socket gets to finish the close handshake before it is cut. */
const CLOSE_GRACE_MS = 1000
const PING_INTERVAL_MS = 30_000

export interface BoardConnectionOptions {
	ws: WebSocket
	/** Already loaded (getYDoc ran bindState), so the first sync step sees the stored board. */
	doc: WSSharedDoc
	boardId: string
	user: CollabUser
	role: CollabRole
	shareLinkId?: string
	logger: Logger
	/** Called when this connection leaves the doc and no other is left on it. */
	onLastDetached(doc: WSSharedDoc): void
	/** Called once, when the socket has closed. */
	onClosed(): void
}

export interface BoardConnection {
	readonly boardId: string
	readonly user: CollabUser
	readonly role: CollabRole
	readonly shareLinkId?: string
	/** Closes the socket with `code`; nothing more is sent to it or applied from it. */
	close(code: number, reason?: string): void
	/** Resolves once the socket has closed. */
	readonly closed: Promise<void>
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return Buffer.concat(data)
	return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

function awarenessMessage(doc: WSSharedDoc, clients: number[]): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
	encoding.writeVarUint8Array(
		encoder,
		awarenessProtocol.encodeAwarenessUpdate(doc.awareness, clients),
	)
	return encoding.toUint8Array(encoder)
}

/** Speaks the y-websocket protocol with one authorized socket on one board's doc. */
export function serveConnection(options: BoardConnectionOptions): BoardConnection {
	const { ws, doc, user, role } = options
	const log = options.logger.child({ boardId: options.boardId, userId: user.id, role })
	let detached = false
	let closeTimer: NodeJS.Timeout | undefined
	let resolveClosed = () => {}
	const closed = new Promise<void>((resolve) => {
		resolveClosed = resolve
	})

	doc.conns.set(ws, new Set<number>())
	registerSocketUser(ws, user.id)

	function detach() {
		if (detached) return
		detached = true
		const controlled = doc.conns.get(ws)
		// Absent when the package's own closeConn got there first (a failed broadcast send); it did
		// this same cleanup, including writeState when the doc emptied.
		if (!controlled) return
		doc.conns.delete(ws)
		awarenessProtocol.removeAwarenessStates(doc.awareness, [...controlled], null)
		if (doc.conns.size === 0) options.onLastDetached(doc)
	}

	function send(message: Uint8Array) {
		if (ws.readyState !== ws.OPEN) return detach()
		ws.send(message, (err) => {
			if (err) detach()
		})
	}

	function close(code: number, reason?: string) {
		if (ws.readyState === ws.CLOSED) return
		ws.close(code, reason)
		detach()
		closeTimer ??= setTimeout(() => ws.terminate(), CLOSE_GRACE_MS)
	}

	function reject(reason: string, err?: unknown) {
		log.warn({ reason, err }, 'closing a connection that sent a bad message')
		close(CLOSE_CODES.badMessage, 'bad message')
	}

	function apply(message: ClientMessage) {
		switch (message.type) {
			case 'syncStep1': {
				const encoder = encoding.createEncoder()
				encoding.writeVarUint(encoder, MESSAGE_SYNC)
				syncProtocol.writeSyncStep2(encoder, doc, message.stateVector)
				return send(encoding.toUint8Array(encoder))
			}
			case 'syncStep2':
			case 'update':
				// Origin = the socket, as in @y/websocket-server. The doc's update handler broadcasts to
				// every socket in `conns` and persistence appends the update. The guard puts back locked
				// committed shapes a non-owner deleted or changed.
				// The write guard then reverts what fails the board schema or forges what only the server
				// writes (writeGuard.ts).
				withWriteGuard(doc, ws, log, () => applyGuardedUpdate(doc, message.update, ws, role))
				return
			case 'awareness': {
				const verdict = admitAwareness(doc, ws, { user, role }, message.entries)
				if (!verdict.ok) return reject(verdict.reason)
				// Origin = the socket: WSSharedDoc records which client ids it controls, to remove
				// them when it closes.
				if (verdict.update)
					awarenessProtocol.applyAwarenessUpdate(doc.awareness, verdict.update, ws)
				return
			}
			case 'queryAwareness':
				return send(awarenessMessage(doc, [...doc.awareness.getStates().keys()]))
		}
	}

	ws.on('message', (data: RawData, isBinary: boolean) => {
		// Frames already buffered when we closed the socket are not applied.
		if (detached) return
		if (!isBinary) return reject('text frame')
		const decoded = decodeClientMessage(toBytes(data))
		if (!decoded.ok) return reject(decoded.reason)
		if (!canApply(role, decoded.message)) {
			log.debug({ type: decoded.message.type }, 'dropped a write from a read-only connection')
			return
		}
		try {
			apply(decoded.message)
		} catch (err) {
			// A decodable update can still fail to integrate. What Yjs integrated before throwing is
			// valid and already broadcast; the sender, who sent something broken, is let go.
			reject('message failed to apply', err)
		}
	})

	let pongReceived = true
	const pinger = setInterval(() => {
		if (!pongReceived) return void ws.terminate()
		pongReceived = false
		ws.ping()
	}, PING_INTERVAL_MS)
	ws.on('pong', () => {
		pongReceived = true
	})
	// Without a listener a socket error would be thrown; ws closes the socket after it.
	ws.on('error', (err) => log.debug({ err }, 'socket error'))
	ws.on('close', () => {
		clearInterval(pinger)
		clearTimeout(closeTimer)
		detach()
		resolveClosed()
		options.onClosed()
	})

	// Opening moves, as in setupWSConnection: our sync step 1 (skipped for viewers: their answer,
	// a sync step 2, would be dropped anyway), then everyone's presence.
	if (canEdit(role)) {
		const encoder = encoding.createEncoder()
		encoding.writeVarUint(encoder, MESSAGE_SYNC)
		syncProtocol.writeSyncStep1(encoder, doc)
		send(encoding.toUint8Array(encoder))
	}
	const states = doc.awareness.getStates()
	if (states.size > 0) send(awarenessMessage(doc, [...states.keys()]))

	return {
		boardId: options.boardId,
		user,
		role,
		shareLinkId: options.shareLinkId,
		close,
		closed,
	}
}
