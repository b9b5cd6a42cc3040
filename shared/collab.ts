import { z } from 'zod'
import { JobStatusSchema } from './api'
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
} as const

/** What each person's client puts in awareness. */
export const PresenceSchema = z.object({
	user: z.object({
		id: z.string().max(64),
		name: z.string().max(80),
		color: z.string().max(16),
	}),
	cursor: z.object({ x: z.number(), y: z.number() }).nullable().optional(),
	/** The person's tldraw camera (page offset and zoom): what followers copy. */
	camera: z
		.object({ x: z.number(), y: z.number(), z: z.number().positive() })
		.nullable()
		.optional(),
	/** The size of their canvas in screen pixels, so followers frame the same page area. */
	screen: z
		.object({ w: z.number().nonnegative(), h: z.number().nonnegative() })
		.nullable()
		.optional(),
	/** Presenting a review: everyone else is offered to follow this person's viewport. */
	presenting: z.boolean().optional(),
})
export type Presence = z.infer<typeof PresenceSchema>

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
