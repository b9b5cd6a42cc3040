import {
	createUserId,
	InstancePresenceRecordType,
	type TLInstancePresence,
	type TLPageId,
} from '@tldraw/tlschema'
import {
	type JobProgress,
	type Presence,
	PresenceCameraSchema,
	PresenceCursorSchema,
	PresenceScreenSchema,
	PresenceUserSchema,
	presenceFigures,
	ServerAwarenessSchema,
} from '../../shared/collab'
import type { ReviewMarks } from '../../shared/review'

/**
 * Awareness → what the UI shows: other people's cursors and viewports (as tldraw presence
 * records, which tldraw's following reads), the avatar list, who is presenting, and the server's
 * live job progress and review badges. Pure functions of the awareness states, so they are
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
	/** Other people presenting a review (never self), one per person, in name order. */
	presenters: Person[]
	/** The server's review badges: each candidate's decision and open comment count. */
	review: ReviewMarks
}

const EMPTY_JOBS: Record<string, JobProgress> = {}
export const EMPTY_MARKS: ReviewMarks = { decisions: {}, comments: {} }

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
	let review = EMPTY_MARKS
	const presenters = new Map<string, Person>()
	if (self) people.set(self.id, { ...self, isSelf: true })
	for (const [clientId, state] of states) {
		if (clientId === selfClientId || !state || typeof state !== 'object') continue
		if ((state as { kind?: unknown }).kind === 'arbor-server') {
			const server = ServerAwarenessSchema.safeParse(state)
			if (server.success) {
				jobs = server.data.jobs
				review = server.data.review ?? EMPTY_MARKS
			}
			continue
		}
		const presence = readPresence(state as Record<string, unknown>)
		if (!presence) continue
		peers.set(clientId, presence)
		const { id, name, color } = presence.user
		if (!people.has(id)) people.set(id, { id, name, color, isSelf: false })
		// Another tab of mine presenting is still me: nobody offers to follow themselves.
		if (presence.presenting && id !== self?.id && !presenters.has(id))
			presenters.set(id, { id, name, color, isSelf: false })
	}
	const sorted = [...people.values()].sort(
		(a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name),
	)
	const presenting = [...presenters.values()].sort((a, b) => a.name.localeCompare(b.name))
	return { peers, people: sorted, jobs, presenters: presenting, review }
}

/**
 * A peer's presence, or null without a valid user. A figure out of range (an older server relayed
 * it, or a bug) is read as null rather than costing the person their whole presence.
 */
function readPresence(state: Record<string, unknown>): Presence | null {
	const user = PresenceUserSchema.safeParse(state.user)
	if (!user.success) return null
	return {
		user: user.data,
		...presenceFigures(state),
		...(state.presenting === true ? { presenting: true } : {}),
	}
}

/** Whether two sets of review marks show the same badges (awareness re-sends them unchanged). */
export function sameMarks(a: ReviewMarks, b: ReviewMarks): boolean {
	return sameRecord(a.decisions, b.decisions) && sameRecord(a.comments, b.comments)
}

function sameRecord<V>(a: Record<string, V>, b: Record<string, V>): boolean {
	if (a === b) return true
	const keys = Object.keys(a)
	return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}

/** The viewport fields of a presence, rounded so tiny float jitter never publishes. */
export interface ViewportPresence {
	camera: { x: number; y: number; z: number }
	screen: { w: number; h: number }
}

/**
 * What the local editor publishes for followers: its camera and canvas size. Null when any figure
 * is outside what presence carries (not finite — JSON would turn it into `null` — or beyond what a
 * board holds, as when a far-away record pulls the camera to 1e308).
 */
export function viewportPresence(
	camera: { x: number; y: number; z: number },
	screen: { w: number; h: number },
): ViewportPresence | null {
	const viewport = {
		camera: { x: round(camera.x, 2), y: round(camera.y, 2), z: round(camera.z, 4) },
		screen: { w: Math.round(Math.max(0, screen.w)), h: Math.round(Math.max(0, screen.h)) },
	}
	if (!PresenceCameraSchema.safeParse(viewport.camera).success) return null
	if (!PresenceScreenSchema.safeParse(viewport.screen).success) return null
	return viewport
}

/** The cursor to publish: the page point, rounded, while hovering the canvas and within the board. */
export function cursorPresence(
	point: { x: number; y: number },
	hovering: boolean,
): { x: number; y: number } | null {
	if (!hovering) return null
	const cursor = { x: Math.round(point.x), y: Math.round(point.y) }
	return PresenceCursorSchema.safeParse(cursor).success ? cursor : null
}

function round(value: number, digits: number): number {
	const scale = 10 ** digits
	return Math.round(value * scale) / scale
}

export function sameViewport(a: ViewportPresence | null, b: ViewportPresence | null): boolean {
	if (a === null || b === null) return a === b
	return (
		a.camera.x === b.camera.x &&
		a.camera.y === b.camera.y &&
		a.camera.z === b.camera.z &&
		a.screen.w === b.screen.w &&
		a.screen.h === b.screen.h
	)
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
		// What tldraw's following reads: the leader's camera and the size of their canvas.
		const camera = presence.camera ?? null
		const screenBounds = presence.screen
			? { x: 0, y: 0, w: presence.screen.w, h: presence.screen.h }
			: null
		if (
			before &&
			before.userId === userId &&
			before.userName === presence.user.name &&
			before.color === presence.user.color &&
			before.currentPageId === options.pageId &&
			sameCursor(before.cursor, cursor) &&
			sameCamera(before.camera, camera) &&
			sameBox(before.screenBounds, screenBounds)
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
				camera,
				screenBounds,
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

function sameCamera(a: TLInstancePresence['camera'], b: TLInstancePresence['camera']): boolean {
	if (a === null || b === null) return a === b
	return a.x === b.x && a.y === b.y && a.z === b.z
}

function sameBox(
	a: TLInstancePresence['screenBounds'],
	b: TLInstancePresence['screenBounds'],
): boolean {
	if (a === null || b === null) return a === b
	return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h
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
