import type { WSSharedDoc } from '@y/websocket-server/utils'
import * as encoding from 'lib0/encoding'
import { type AwarenessEntry, presenceProblem } from './messages'

/** Awareness client ids one connection may control; a y-websocket client uses one. */
const MAX_CLIENTS_PER_CONNECTION = 4

/** The user behind each socket in any doc's `conns`. */
const socketUsers = new WeakMap<object, string>()

export function registerSocketUser(socket: object, userId: string) {
	socketUsers.set(socket, userId)
}

export type AwarenessVerdict =
	/** `update` holds the entries to apply (null when none would change anything). */
	{ ok: true; update: Uint8Array | null } | { ok: false; reason: string }

function encodeEntries(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, entries.length)
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId)
		encoding.writeVarUint(encoder, entry.clock)
		encoding.writeVarString(encoder, JSON.stringify(entry.state))
	}
	return encoding.toUint8Array(encoder)
}

/**
 * Decides which entries of an awareness update from `socket` (of user `userId`) reach the doc.
 *
 * y-websocket clients relay *every* awareness change they see, other people's included, so an
 * update routinely carries states that are not the sender's. Hence:
 * - an entry that would not change the server's awareness (its clock is not newer: an echo) is
 *   dropped, whatever it says;
 * - a null entry (a client leaving) counts only for clients this socket controls; others are
 *   dropped — that is a client timing out a peer locally, and nobody may remove someone else;
 * - a state that would change something must be the sender's own presence (`presenceProblem`), on
 *   a client id that is neither the server's nor held by another user's socket: otherwise the
 *   update is refused and the socket closed.
 */
export function admitAwareness(
	doc: WSSharedDoc,
	socket: object,
	userId: string,
	entries: AwarenessEntry[],
): AwarenessVerdict {
	const mine = doc.conns.get(socket)
	if (!mine) return { ok: false, reason: 'connection left the doc' }
	const { awareness } = doc
	const accepted: AwarenessEntry[] = []
	const claimed = new Set(mine)
	for (const entry of entries) {
		const clock = awareness.meta.get(entry.clientId)?.clock ?? 0
		const changes =
			clock < entry.clock ||
			(clock === entry.clock && entry.state === null && awareness.states.has(entry.clientId))
		if (!changes) continue
		if (entry.state === null) {
			if (mine.has(entry.clientId)) accepted.push(entry)
			continue
		}
		const problem = presenceProblem(entry.state, userId)
		if (problem) return { ok: false, reason: problem }
		if (entry.clientId === awareness.clientID)
			return { ok: false, reason: "awareness state for the server's client" }
		for (const [other, ids] of doc.conns) {
			if (other !== socket && ids.has(entry.clientId) && socketUsers.get(other) !== userId)
				return { ok: false, reason: "awareness state for another user's client" }
		}
		claimed.add(entry.clientId)
		accepted.push(entry)
	}
	if (claimed.size > MAX_CLIENTS_PER_CONNECTION)
		return { ok: false, reason: 'too many awareness clients on one connection' }
	// An id held by another socket of the same user is a reconnect that beat the old socket's
	// timeout: move it here, so closing the old socket does not erase the new presence.
	for (const entry of accepted) {
		if (entry.state === null) continue
		for (const [other, ids] of doc.conns) if (other !== socket) ids.delete(entry.clientId)
		mine.add(entry.clientId)
	}
	return { ok: true, update: accepted.length > 0 ? encodeEntries(accepted) : null }
}
