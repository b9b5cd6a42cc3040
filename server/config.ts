import { resolve } from 'node:path'
import { z } from 'zod'
import { EngineConfigSchema } from '../engines/config'
import { ConfigError, parseEnv } from '../shared/configEnv'
import { DEFAULT_QUEUE_PREFIX, QueuePrefixSchema } from '../shared/queue'

export const ConfigSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(8787),
	HOST: z.string().default('0.0.0.0'),
	ARBOR_DATA_DIR: z.string().default('./data'),
	REDIS_URL: z
		.string()
		.regex(/^rediss?:\/\//, 'REDIS_URL is not a redis:// URL')
		.optional(),
	ARBOR_WORKER_TOKEN: z.string().min(16, 'ARBOR_WORKER_TOKEN needs 16+ characters').optional(),
	/**
	 * Bearer token for `GET /metrics` and the detail of `GET /api/health` (workers, hosts, queue).
	 * Unset: only the worker token opens them, and without that they stay closed.
	 */
	ARBOR_METRICS_TOKEN: z.string().min(16, 'ARBOR_METRICS_TOKEN needs 16+ characters').optional(),
	/** Redis key prefix of the queue, so several instances (or test runs) can share one Redis. */
	ARBOR_QUEUE_PREFIX: QueuePrefixSchema.default(DEFAULT_QUEUE_PREFIX),
	...EngineConfigSchema.shape,
	/** On SIGTERM/SIGINT, how long the server may take to hand jobs back and store boards. */
	ARBOR_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
	/** Jobs run at once by the embedded queue. */
	ARBOR_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
	/** First retry delay of a failed job; doubles with each attempt. */
	ARBOR_RETRY_BACKOFF_MS: z.coerce.number().int().min(0).default(1000),
	ARBOR_MONTHLY_CREDITS: z.coerce.number().int().min(0).default(1000),
	/** Jobs one user may have running at once (the rest wait in line). */
	ARBOR_MAX_RUNNING_PER_USER: z.coerce.number().int().min(1).default(3),
	/** Jobs one user may have waiting; more are refused with 429. */
	ARBOR_MAX_QUEUED_PER_USER: z.coerce.number().int().min(0).default(10),
	/** Jobs one user may start per minute. */
	ARBOR_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
	/** The rate limit's window; a minute unless shortened (tests, demos). */
	ARBOR_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
	/**
	 * Addresses of reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed
	 * (comma-separated; `loopback` = 127.0.0.1 and ::1). Unset: those headers are ignored.
	 */
	ARBOR_TRUST_PROXY: z.string().optional(),
	/**
	 * Where people reach Arbor (`https://arbor.example.com`), when a proxy sits in front: its
	 * origin is accepted on writes and socket upgrades, and an https URL makes the cookie Secure.
	 */
	ARBOR_PUBLIC_URL: z.url('ARBOR_PUBLIC_URL is not a URL').optional(),
	/** More origins (comma-separated) whose pages may write to the API, e.g. a dev server's. */
	ARBOR_ALLOWED_ORIGINS: z.string().optional(),
	/** Guests one address may become through share links per 10 minutes (429 beyond). */
	ARBOR_GUEST_JOINS_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
	/** Guests one share link may take in per 10 minutes, whatever their addresses. */
	ARBOR_GUEST_JOINS_PER_LINK: z.coerce.number().int().min(1).default(100),
	/** Uploads one person (or one share link's guests together) may start per minute. */
	ARBOR_UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
	/** Uploads one person may have in progress at once. */
	ARBOR_UPLOADS_AT_ONCE: z.coerce.number().int().min(1).default(2),
	/**
	 * What adding someone to a board does: `invite` (the default) sends them an invitation that
	 * takes effect when they accept it; `direct` makes someone who has an account a member at once,
	 * for an instance whose accounts are all one team (emails without an account are still invited).
	 */
	ARBOR_MEMBER_ADD: z.enum(['invite', 'direct']).default('invite'),
	/** Storage a board's uploads may take, in MiB (as stored: PNG, at most 2048 px an edge). */
	ARBOR_UPLOAD_QUOTA_MB: z.coerce.number().min(1).default(1024),
	/** Wrong passwords one account may get before each further try waits (doubling, ≤ 15 min). */
	ARBOR_LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
	/** Wrong passwords one address may get, across accounts, before each further try waits. */
	ARBOR_LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
	/**
	 * How long a board nobody has open stays in memory before it is dropped (it is stored as soon as
	 * the last person leaves, and loaded again from SQLite when someone opens it).
	 */
	ARBOR_IDLE_BOARD_MS: z.coerce.number().int().min(100).default(30_000),
	/** Where the built client lives; served as static files. */
	ARBOR_CLIENT_DIR: z.string().default('./dist'),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Config = z.infer<typeof ConfigSchema> & { dbFile: string; assetsDir: string }

/** Reads configuration from the environment; a bad value stops start-up with the option's name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
	const data = parseEnv(ConfigSchema, env)
	// Queue mode opens the internal API to workers: never without a secret.
	if (data.REDIS_URL && !data.ARBOR_WORKER_TOKEN)
		throw new ConfigError(
			'Invalid configuration: ARBOR_WORKER_TOKEN: required in queue mode (REDIS_URL is set)',
		)
	const dataDir = resolve(data.ARBOR_DATA_DIR)
	return {
		...data,
		ARBOR_DATA_DIR: dataDir,
		dbFile: resolve(dataDir, 'arbor.db'),
		assetsDir: resolve(dataDir, 'assets'),
	}
}
