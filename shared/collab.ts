import { z } from 'zod'
import { JobStatusSchema } from './api'
import { CoordinateSchema, PointSchema } from './coordinates'
import { ReviewMarksSchema } from './review'

/** y-websocket rooms live at `/yjs/:boardId`; the room name is the board id. */
export const YJS_PATH_PREFIX = '/yjs/'

/** Where tldraw records live in a board's Y.Doc (a YKeyValue over this array). */
export const TL_RECORDS_KEY = 'tl_records'
/** `doc.getMap(META_KEY).get(SCHEMA_KEY)` holds the serialized tldraw store schema. */
export const META_KEY = 'meta'
export const SCHEMA_KEY = 'schema'

/**
 * Close codes for board sockets. y-websocket 3.1 stops reconnecting on 4400–4499, so every refusal
 * uses that range.
 */
export const CLOSE_CODES = {
	unauthenticated: 4401,
	forbidden: 4403,
	notFound: 4404,
	badMessage: 4400,
	/** The user already has as many board sockets open as one person may. */
	tooManyConnections: 4429,
} as const

/** A person as presence shows them. The server writes it from their account, never the client. */
export const PresenceUserSchema = z.object({
	id: z.string().max(64),
	name: z.string().max(80),
	color: z.string().max(16),
})

/** The page point under someone's pointer. */
export const PresenceCursorSchema = PointSchema

/** tldraw's zoom never leaves 0.01–64; anything far outside is a broken client. */
const MAX_PRESENCE_ZOOM = 1000
/** The person's tldraw camera (page offset and zoom): what followers copy. */
export const PresenceCameraSchema = z.object({
	x: CoordinateSchema,
	y: CoordinateSchema,
	z: z.number().positive().max(MAX_PRESENCE_ZOOM),
})

/** Larger than any screen. */
const MAX_PRESENCE_SCREEN = 100_000
/** The size of their canvas in screen pixels, so followers frame the same page area. */
export const PresenceScreenSchema = z.object({
	w: z.number().min(0).max(MAX_PRESENCE_SCREEN),
	h: z.number().min(0).max(MAX_PRESENCE_SCREEN),
})

/**
 * What each person's presence holds, as the server relays it: every figure finite and within
 * what a board can hold (`MAX_COORDINATE`), so no number a record may hold turns into a `null`
 * that breaks the room. Only these fields travel: the server rebuilds every state from them.
 */
export const PresenceSchema = z.object({
	user: PresenceUserSchema,
	cursor: PresenceCursorSchema.nullable().optional(),
	camera: PresenceCameraSchema.nullable().optional(),
	screen: PresenceScreenSchema.nullable().optional(),
	/** Presenting a review: everyone else is offered to follow this person's viewport. */
	presenting: z.boolean().optional(),
})
export type Presence = z.infer<typeof PresenceSchema>

const FIGURES = {
	cursor: PresenceCursorSchema,
	camera: PresenceCameraSchema,
	screen: PresenceScreenSchema,
} as const

/**
 * The cursor, camera and screen of an awareness state, each kept when valid, null when present
 * and not (a figure no board can hold), absent when absent. The server relays these and peers
 * read them this way, so one bad figure never costs a person their whole presence.
 */
export function presenceFigures(
	state: Record<string, unknown>,
): Pick<Presence, 'cursor' | 'camera' | 'screen'> {
	const figures: Record<string, unknown> = {}
	for (const [key, schema] of Object.entries(FIGURES)) {
		if (!(key in state)) continue
		const parsed = schema.safeParse(state[key])
		figures[key] = parsed.success ? parsed.data : null
	}
	return figures as Pick<Presence, 'cursor' | 'camera' | 'screen'>
}

/** Live, ephemeral state of one job: never written to the doc. */
export const JobProgressSchema = z.object({
	status: JobStatusSchema,
	/** 0–1 while running. */
	progress: z.number().min(0).max(1),
	/** 1-based place in the queue while queued; null otherwise. */
	position: z.number().int().nullable(),
	/** Estimated milliseconds until done; null when unknown. */
	etaMs: z.number().nullable(),
	/**
	 * While running: the number of the engine's latest live preview, when it has sent one. The
	 * image itself is at `jobPreviewPath(boardId, jobId, preview)`, in the server's memory only.
	 */
	preview: z.number().int().nonnegative().optional(),
	/** While queued: the model it asks for, when no online worker serves it (it waits for one). */
	unservedModel: z.string().max(300).optional(),
})
export type JobProgress = z.infer<typeof JobProgressSchema>

/**
 * Where a running job's latest preview is served (to anyone who may view the board). The number
 * changes with each preview, at most twice a second, so the URL also busts caches.
 */
export function jobPreviewPath(boardId: string, jobId: string, preview: number): string {
	return `/api/boards/${boardId}/jobs/${jobId}/preview?n=${preview}`
}

/**
 * The server's own awareness state in a board room: the progress of the board's unfinished jobs.
 * Clients find it by `kind === 'arbor-server'`.
 */
export const ServerAwarenessSchema = z.object({
	kind: z.literal('arbor-server'),
	jobs: z.record(z.string(), JobProgressSchema),
	/** Review badges (decision and open comments per candidate); absent while a board has none. */
	review: ReviewMarksSchema.optional(),
})
export type ServerAwareness = z.infer<typeof ServerAwarenessSchema>
