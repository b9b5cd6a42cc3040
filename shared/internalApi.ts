import { z } from 'zod'
import {
	EngineCapabilitiesSchema,
	EngineHealthSchema,
	EngineModelSchema,
	EngineRecordSchema,
} from './engines'
import { JobIdSchema } from './ids'
import { JobPayloadSchema } from './jobPayload'
import { GRID_SIZE } from './ops/catalogue'
import { SeedSchema } from './ops/params'

// The server's internal API for queue-mode workers (`/internal/*`, bearer `ARBOR_WORKER_TOKEN`).
// Workers never open the database: everything they read or write about a job goes through here.

export const INTERNAL_PATH = '/internal'

/** Every worker request names its worker; the id and host land in the images' provenance. */
export const WORKER_HEADERS = { id: 'x-arbor-worker-id', host: 'x-arbor-worker-host' } as const

export const WorkerIdentitySchema = z.object({
	id: z
		.string()
		.min(1)
		.max(128)
		.regex(/^[A-Za-z0-9._:-]+$/, 'worker id may hold letters, digits and . _ : -'),
	host: z.string().min(1).max(255),
})
export type WorkerIdentity = z.infer<typeof WorkerIdentitySchema>

export const BackendInfoSchema = z.object({
	backend: z.string().min(1).max(64),
	model: z.string().min(1).max(200),
	version: z.string().min(1).max(64),
})

/** `POST /internal/workers/heartbeat`: a worker is alive (health, ETA slots). */
export const WorkerHeartbeatSchema = z
	.object({
		concurrency: z.number().int().min(1).max(64),
		active: z.array(JobIdSchema).max(64),
		backend: BackendInfoSchema,
		/** What the worker's engine can run (gates ops at job creation) and the models it serves. */
		capabilities: EngineCapabilitiesSchema.optional(),
		models: z.array(EngineModelSchema).max(500).optional(),
		/** Devices and free VRAM of the worker's engine (ComfyUI `/system_stats`). */
		health: EngineHealthSchema.optional(),
	})
	.strict()
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeatSchema>

/** Reply to `POST /internal/jobs/:jobId/start` (409 `conflict` when the job is no longer wanted). */
export const JobStartReplySchema = z.object({ payload: JobPayloadSchema, attempt: z.number() })
export type JobStartReply = z.infer<typeof JobStartReplySchema>

/** `POST /internal/jobs/:jobId/progress`. */
export const ProgressReportSchema = z.object({ fraction: z.number().min(0).max(1) }).strict()
/** The reply doubles as a cancel check, in case the pub/sub message was missed. */
export const ProgressReplySchema = z.object({ cancelled: z.boolean() })

/** `PUT /internal/jobs/:jobId/outputs/:index` with the PNG as the body. */
export const OutputIndexSchema = z.coerce
	.number()
	.int()
	.min(0)
	.max(GRID_SIZE - 1)
export const OutputUploadReplySchema = z.object({ sha256: z.string() })
/** Largest PNG a worker may upload (a 4096² RGBA PNG fits comfortably). */
export const MAX_OUTPUT_BYTES = 64 * 1024 * 1024

/** `POST /internal/jobs/:jobId/complete`: the uploaded outputs, by content address. */
export const JobCompleteSchema = z
	.object({
		outputs: z
			.array(
				z.object({
					index: OutputIndexSchema,
					seed: SeedSchema,
					sha256: z.string().regex(/^[0-9a-f]{64}$/),
					/** The engine's own account of the image (model, sampler, steps, seed used…). */
					record: EngineRecordSchema,
				}),
			)
			.min(1)
			.max(GRID_SIZE),
		backend: BackendInfoSchema,
	})
	.strict()
export type JobCompleteBody = z.infer<typeof JobCompleteSchema>
export const JobCompleteReplySchema = z.object({ recorded: z.boolean() })

/** `POST /internal/jobs/:jobId/fail`: an attempt failed; `final` when no retry will follow. */
export const JobFailSchema = z.object({ reason: z.string().max(2000), final: z.boolean() }).strict()
