import { z } from 'zod'
import { EngineConfigSchema } from '../engines/config'
import { parseEnv } from '../shared/configEnv'
import { DEFAULT_QUEUE_PREFIX, QUEUE_TIMING, QueuePrefixSchema } from '../shared/queue'

export const WorkerConfigSchema = z.object({
	REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL is not a redis:// URL'),
	ARBOR_SERVER_URL: z.string().regex(/^https?:\/\//, 'ARBOR_SERVER_URL is not an http(s):// URL'),
	ARBOR_WORKER_TOKEN: z.string().min(16, 'ARBOR_WORKER_TOKEN needs 16+ characters'),
	ARBOR_QUEUE_PREFIX: QueuePrefixSchema.default(DEFAULT_QUEUE_PREFIX),
	...EngineConfigSchema.shape,
	/** Jobs this worker runs at once. */
	ARBOR_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
	/** Recorded in provenance; defaults to `<hostname>-<pid>`. */
	ARBOR_WORKER_ID: z
		.string()
		.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'ARBOR_WORKER_ID may hold letters, digits and . _ : -')
		.optional(),
	/** On SIGTERM, how long the active job may take to finish before it is handed back. */
	ARBOR_WORKER_GRACE_MS: z.coerce.number().int().min(0).default(20_000),
	/** Crash detection; see QUEUE_TIMING. Lower only to test. */
	ARBOR_WORKER_LOCK_MS: z.coerce.number().int().min(500).default(QUEUE_TIMING.LOCK_MS),
	ARBOR_WORKER_STALLED_MS: z.coerce
		.number()
		.int()
		.min(200)
		.default(QUEUE_TIMING.STALLED_INTERVAL_MS),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type WorkerConfig = z.infer<typeof WorkerConfigSchema>

/** `npm run worker`'s settings; a missing or bad one stops start-up naming the variable. */
export function loadWorkerConfig(env: Record<string, string | undefined> = process.env) {
	return parseEnv(WorkerConfigSchema, env)
}
