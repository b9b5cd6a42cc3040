import type { WSSharedDoc } from '@y/websocket-server/utils'
import * as encoding from 'lib0/encoding'
import { canEdit } from '../../shared/api'
import type { AwarenessEntry } from './messages'
import { admitPresence } from './presenceFilter'
import type { CollabRole, CollabUser } from './upgradeAuth'

/** Awareness client ids one connection may control; a y-websocket client uses one. */
const MAX_CLIENTS_PER_CONNECTION = 4

/**
 * Presence changes one socket may make: a burst of this many, refilled at `RATE_PER_SECOND`. A
 * client publishes at most once a frame (cursor and viewport batched), about 60 a second while
 * the pointer moves; beyond that a socket is flooding every peer, and its changes are dropped
 * until the bucket refills (the next one goes through, so presence catches up).
 */
const BURST = 120
const RATE_PER_SECOND = 60

interface Bucket {
	tokens: number
	at: number
}
const buckets = new WeakMap<object, Bucket>()

function takeToken(socket: object, now = Date.now()): boolean {
	const bucket = buckets.get(socket) ?? { tokens: BURST, at: now }
	bucket.tokens = Math.min(BURST, bucket.tokens + ((now - bucket.at) / 1000) * RATE_PER_SECOND)
	bucket.at = now
	buckets.set(socket, bucket)
	if (bucket.tokens < 1) return false
	bucket.tokens -= 1
	return true
}

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
 * - a state that would change something must be the sender's own presence (`admitPresence`), on
 *   a client id that is neither the server's nor held by another user's socket: otherwise the
 *   update is refused and the socket closed. What is relayed is the state `admitPresence` rebuilt
 *   (validated fields, the account's name), never the state as sent;
 * - an update that changes something costs a token (`BURST`, `RATE_PER_SECOND`): a socket out of
 *   tokens has its update dropped, not applied and not relayed.
 */
export function admitAwareness(
	doc: WSSharedDoc,
	socket: object,
	sender: { user: CollabUser; role: CollabRole },
	entries: AwarenessEntry[],
): AwarenessVerdict {
	const userId = sender.user.id
	const presence = { user: sender.user, mayPresent: canEdit(sender.role) }
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
		const admitted = admitPresence(entry.state, presence)
		if (!admitted.ok) return { ok: false, reason: admitted.reason }
		if (entry.clientId === awareness.clientID)
			return { ok: false, reason: "awareness state for the server's client" }
		for (const [other, ids] of doc.conns) {
			if (other !== socket && ids.has(entry.clientId) && socketUsers.get(other) !== userId)
				return { ok: false, reason: "awareness state for another user's client" }
		}
		claimed.add(entry.clientId)
		accepted.push({ ...entry, state: admitted.state })
	}
	if (claimed.size > MAX_CLIENTS_PER_CONNECTION)
		return { ok: false, reason: 'too many awareness clients on one connection' }
	if (accepted.length === 0) return { ok: true, update: null }
	if (!takeToken(socket)) return { ok: true, update: null }
	// An id held by another socket of the same user is a reconnect that beat the old socket's
	// timeout: move it here, so closing the old socket does not erase the new presence.
	for (const entry of accepted) {
		if (entry.state === null) continue
		for (const [other, ids] of doc.conns) if (other !== socket) ids.delete(entry.clientId)
		mine.add(entry.clientId)
	}
	return { ok: true, update: accepted.length > 0 ? encodeEntries(accepted) : null }
}
