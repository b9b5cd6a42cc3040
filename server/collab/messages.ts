import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { META_KEY, TL_RECORDS_KEY } from '../../shared/collab'

// The y-websocket wire protocol as a client speaks it: every frame is one message, a varUint type
// followed by its payload. Decoded and checked here, before anything touches a doc.

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
/** Server → client only; a client sending it is a bad message. */
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

export interface AwarenessEntry {
	clientId: number
	clock: number
	/** The client's whole state; null when it leaves. */
	state: Record<string, unknown> | null
}

export type ClientMessage =
	| { type: 'syncStep1'; stateVector: Uint8Array }
	| { type: 'syncStep2'; update: Uint8Array }
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; entries: AwarenessEntry[] }
	| { type: 'queryAwareness' }

export type DecodeResult = { ok: true; message: ClientMessage } | { ok: false; reason: string }

class BadMessage extends Error {}

/**
 * Longest awareness state a client may send, as JSON. A presence (user, cursor, camera, screen,
 * presenting) is a few hundred bytes; a state of megabytes is someone making every peer and late
 * joiner carry it.
 */
export const MAX_AWARENESS_STATE_CHARS = 4096

function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update)
	const count = decoding.readVarUint(decoder)
	const entries: AwarenessEntry[] = []
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder)
		const clock = decoding.readVarUint(decoder)
		const json = decoding.readVarString(decoder)
		if (json.length > MAX_AWARENESS_STATE_CHARS) throw new BadMessage('awareness state too large')
		let state: unknown
		try {
			state = JSON.parse(json)
		} catch {
			throw new BadMessage('awareness state is not JSON')
		}
		if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
			throw new BadMessage('awareness state is not an object')
		entries.push({ clientId, clock, state: state as Record<string, unknown> | null })
	}
	if (decoding.hasContent(decoder)) throw new BadMessage('trailing bytes in awareness update')
	return entries
}

/** The only root types a board doc has: its records and its meta map (the schema). */
const BOARD_ROOTS = new Set([TL_RECORDS_KEY, META_KEY])

function decodeUpdate(update: Uint8Array) {
	// Decoding the whole update (structs, contents, delete set) rejects garbage and truncated
	// updates before Y.applyUpdate can integrate half of one into a live doc.
	let structs: ReturnType<typeof Y.decodeUpdate>['structs']
	try {
		structs = Y.decodeUpdate(update).structs
	} catch {
		throw new BadMessage('undecodable Yjs update')
	}
	// A new root type shows as an item naming it as its parent (the first item of any type has no
	// origin to derive the parent from). Records are plain JSON: nothing on a board nests a type.
	// Both would grow every member's doc with data no client reads.
	for (const struct of structs) {
		if (!(struct instanceof Y.Item)) continue
		// Typed as a type or an ID; a decoded (not integrated) item holds the root's name instead.
		const parent: unknown = struct.parent
		if (typeof parent === 'string' && !BOARD_ROOTS.has(parent))
			throw new BadMessage(`update writes the root type "${parent.slice(0, 40)}"`)
		if (struct.content instanceof Y.ContentType) throw new BadMessage('update nests a Yjs type')
	}
}

function decode(data: Uint8Array): ClientMessage {
	const decoder = decoding.createDecoder(data)
	const type = decoding.readVarUint(decoder)
	let message: ClientMessage
	switch (type) {
		case MESSAGE_SYNC: {
			const subtype = decoding.readVarUint(decoder)
			const payload = decoding.readVarUint8Array(decoder)
			if (subtype === SYNC_STEP_1) {
				try {
					Y.decodeStateVector(payload)
				} catch {
					throw new BadMessage('undecodable state vector')
				}
				message = { type: 'syncStep1', stateVector: payload }
			} else if (subtype === SYNC_STEP_2 || subtype === SYNC_UPDATE) {
				decodeUpdate(payload)
				message = { type: subtype === SYNC_STEP_2 ? 'syncStep2' : 'update', update: payload }
			} else {
				throw new BadMessage(`unknown sync message type ${subtype}`)
			}
			break
		}
		case MESSAGE_AWARENESS: {
			message = { type: 'awareness', entries: decodeAwareness(decoding.readVarUint8Array(decoder)) }
			break
		}
		case MESSAGE_QUERY_AWARENESS:
			message = { type: 'queryAwareness' }
			break
		default:
			throw new BadMessage(`unknown message type ${type}`)
	}
	// y-websocket sends exactly one message per frame; anything after it is not ours to guess at.
	if (decoding.hasContent(decoder)) throw new BadMessage('trailing bytes after the message')
	return message
}

/** Decodes one frame from a client. Never throws: a bad frame comes back with a reason. */
export function decodeClientMessage(data: Uint8Array): DecodeResult {
	try {
		return { ok: true, message: decode(data) }
	} catch (err) {
		// lib0 throws plain errors on truncated input ("Unexpected end of array").
		const reason = err instanceof BadMessage ? err.message : 'truncated or malformed message'
		return { ok: false, reason }
	}
}
