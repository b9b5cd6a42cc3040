import { z } from 'zod'
import { JobStatusSchema } from './api'
import { EngineDescriptionSchema } from './engines'
import { BoardIdSchema, JobIdSchema } from './ids'

// Queue mode's shared vocabulary: what the server puts on the BullMQ queue and what workers read,
// plus the public view of a board's queue (the queue panel).

/**
 * The BullMQ queue every worker consumes (jobs that name no model); its Redis keys live under
 * `ARBOR_QUEUE_PREFIX`. A job that names a model goes to that model's own queue (`queueNameFor`),
 * consumed only by workers whose engine serves the model.
 */
export const QUEUE_NAME = 'jobs'

/** 32-bit FNV-1a, base 36: tells apart model ids that sanitize to the same name. */
function shortHash(text: string): string {
	let h = 0x811c9dc5
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i)
		h = Math.imul(h, 0x01000193) >>> 0
	}
	return h.toString(36)
}

/**
 * The BullMQ queue of jobs asking for `model` (any engine's model id; null: `QUEUE_NAME`). Redis
 * key-safe: the id's letters and digits, plus a hash so two ids never share a queue.
 *
 * @example queueNameFor('sdxl/base-1.0.safetensors') // 'jobs.m.sdxl_base-1_0_safetensors.1x2f9k'
 */
export function queueNameFor(model: string | null | undefined): string {
	if (!model) return QUEUE_NAME
	const slug = model.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 48)
	return `${QUEUE_NAME}.m.${slug}.${shortHash(model)}`
}
export const DEFAULT_QUEUE_PREFIX = 'arbor'
/** `ARBOR_QUEUE_PREFIX`: a Redis key prefix, so several instances (or tests) share one Redis. */
export const QueuePrefixSchema = z
	.string()
	.regex(/^[A-Za-z0-9_-]{1,64}$/, 'ARBOR_QUEUE_PREFIX may hold letters, digits, _ and - (≤ 64)')

/**
 * Pub/sub channel on which the server names a job it cancelled; the worker running it aborts.
 * (A worker also learns of it from the reply to its next progress report, if a message is lost.)
 */
export const cancelChannel = (prefix: string) => `${prefix}:${QUEUE_NAME}:cancel`

/** A BullMQ job's data: only ids. Workers fetch the payload from the server when they start. */
export const QueueJobDataSchema = z.object({ jobId: JobIdSchema, boardId: BoardIdSchema })
export type QueueJobData = z.infer<typeof QueueJobDataSchema>

/**
 * Crash detection. A worker renews its job's lock every `LOCK_MS / 2`; a SIGKILLed worker's lock
 * lapses after at most `LOCK_MS`. A stalled check (every `STALLED_INTERVAL_MS`, run by any live
 * worker, one at a time across them) first flags the job and moves it back in line at the next:
 * re-run within about LOCK_MS + 2 × STALLED_INTERVAL_MS ≈ 8 s, against the 10 s target
 * (`npm run bench`, faults; BullMQ's defaults, 30 s + 30 s, gave about a minute).
 */
export const QUEUE_TIMING = {
	LOCK_MS: 4000,
	STALLED_INTERVAL_MS: 2000,
	/** A job may take its worker down this often and still be re-run; one more time, it fails. */
	MAX_STALLS: 2,
} as const

// ---- the queue panel (`GET /api/boards/:boardId/queue`) ---------------------------------------

export const QueueEntrySchema = z.object({
	jobId: JobIdSchema,
	op: z.string(),
	prompt: z.string(),
	status: JobStatusSchema.extract(['queued', 'running']),
	createdBy: z.object({ id: z.string(), name: z.string() }),
	createdAt: z.string(),
	/** 1-based place in the instance-wide line while queued; null while running. */
	position: z.number().int().nullable(),
	/** 0–1 while running. */
	progress: z.number(),
	etaMs: z.number().nullable(),
	/** The caller may cancel it: they asked for it, or they own the board (and may edit). */
	canCancel: z.boolean(),
})
export type QueueEntry = z.infer<typeof QueueEntrySchema>

export const BoardQueueSchema = z.object({
	/** Running first, then queued in the order they will run. */
	jobs: z.array(QueueEntrySchema),
})
export type BoardQueue = z.infer<typeof BoardQueueSchema>

// ---- `GET /api/health` ------------------------------------------------------------------------

/** What `GET /api/health` tells anyone: liveness, no detail. */
export const HealthStatusSchema = z.object({
	status: z.enum(['ok', 'degraded', 'down']),
})
export type HealthStatus = z.infer<typeof HealthStatusSchema>

/** The detail, for holders of the metrics (or worker) token. */
export const HealthSchema = z.object({
	/** ok; degraded: queue mode with no worker seen recently; down: Redis unreachable (503). */
	status: z.enum(['ok', 'degraded', 'down']),
	mode: z.enum(['embedded', 'queue']),
	/** Null when embedded (no Redis). */
	redis: z.object({ reachable: z.boolean() }).nullable(),
	/** Workers heard from in the last 30 s (embedded: the server itself). */
	workers: z.array(
		z.object({
			id: z.string(),
			host: z.string(),
			concurrency: z.number(),
			active: z.number(),
			backend: z.string(),
			lastSeenAt: z.string(),
		}),
	),
	queue: z.object({ queued: z.number(), running: z.number() }),
	/** Engines online: capabilities, models discovered, devices and free VRAM when reported. */
	engines: z.array(EngineDescriptionSchema).optional(),
})
export type Health = z.infer<typeof HealthSchema>
