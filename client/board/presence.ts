import {
	createUserId,
	InstancePresenceRecordType,
	type TLInstancePresence,
	type TLPageId,
} from '@tldraw/tlschema'
import {
	type JobProgress,
	type Presence,
	PresenceSchema,
	ServerAwarenessSchema,
} from '../../shared/collab'

/**
 * Awareness → what the UI shows: other people's cursors (as tldraw presence records), the avatar
 * list, and the server's live job progress. Pure functions of the awareness states, so they are
 * tested without a socket.
 */

/** Someone in the room, once per person (several tabs of one person collapse into one). */
export interface Person {
	id: string
	name: string
	color: string
	isSelf: boolean
}

export interface AwarenessView {
	/** Peers' presence by awareness client id, self and the server excluded. */
	peers: Map<number, Presence>
	people: Person[]
	/** Live progress of the board's unfinished jobs, by job id. */
	jobs: Record<string, JobProgress>
}

const EMPTY_JOBS: Record<string, JobProgress> = {}

/**
 * Reads every awareness state once: states that match neither schema (an older client, garbage)
 * are ignored rather than trusted.
 */
export function readAwareness(
	states: Map<number, unknown>,
	selfClientId: number,
	self: Person | null,
): AwarenessView {
	const peers = new Map<number, Presence>()
	const people = new Map<string, Person>()
	let jobs = EMPTY_JOBS
	if (self) people.set(self.id, { ...self, isSelf: true })
	for (const [clientId, state] of states) {
		if (clientId === selfClientId || !state || typeof state !== 'object') continue
		if ((state as { kind?: unknown }).kind === 'arbor-server') {
			const server = ServerAwarenessSchema.safeParse(state)
			if (server.success) jobs = server.data.jobs
			continue
		}
		const presence = PresenceSchema.safeParse(state)
		if (!presence.success) continue
		peers.set(clientId, presence.data)
		const { id, name, color } = presence.data.user
		if (!people.has(id)) people.set(id, { id, name, color, isSelf: false })
	}
	const sorted = [...people.values()].sort(
		(a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name),
	)
	return { peers, people: sorted, jobs }
}

/** The presence record id of an awareness client: stable for the life of that connection. */
export function presenceIdFor(clientId: number): TLInstancePresence['id'] {
	return InstancePresenceRecordType.createId(`yjs-${clientId}`)
}

/**
 * Presence records for the peers, reusing each previous record when nothing it shows changed, so
 * `lastActivityTimestamp` only moves when the person does (tldraw fades idle cursors by it).
 */
export function presenceRecordsFor(options: {
	peers: Map<number, Presence>
	pageId: TLPageId
	previous: ReadonlyMap<TLInstancePresence['id'], TLInstancePresence>
	now: number
}): Map<TLInstancePresence['id'], TLInstancePresence> {
	const next = new Map<TLInstancePresence['id'], TLInstancePresence>()
	for (const [clientId, presence] of options.peers) {
		const id = presenceIdFor(clientId)
		const before = options.previous.get(id)
		const cursor = presence.cursor
			? { x: presence.cursor.x, y: presence.cursor.y, type: 'default' as const, rotation: 0 }
			: null
		const userId = createUserId(presence.user.id)
		if (
			before &&
			before.userId === userId &&
			before.userName === presence.user.name &&
			before.color === presence.user.color &&
			before.currentPageId === options.pageId &&
			sameCursor(before.cursor, cursor)
		) {
			next.set(id, before)
			continue
		}
		next.set(
			id,
			InstancePresenceRecordType.create({
				id,
				userId,
				userName: presence.user.name,
				color: presence.user.color,
				currentPageId: options.pageId,
				cursor,
				lastActivityTimestamp: options.now,
			}),
		)
	}
	return next
}

function sameCursor(a: TLInstancePresence['cursor'], b: TLInstancePresence['cursor']): boolean {
	if (a === null || b === null) return a === b
	return a.x === b.x && a.y === b.y
}

/** Which presence records to put and remove to go from `before` to `after`. */
export function diffPresence(
	before: ReadonlyMap<TLInstancePresence['id'], TLInstancePresence>,
	after: ReadonlyMap<TLInstancePresence['id'], TLInstancePresence>,
): { put: TLInstancePresence[]; remove: TLInstancePresence['id'][] } {
	const put = [...after.values()].filter((record) => before.get(record.id) !== record)
	const remove = [...before.keys()].filter((id) => !after.has(id))
	return { put, remove }
}
