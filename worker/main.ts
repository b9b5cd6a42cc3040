import { hostname } from 'node:os'
import pino from 'pino'
import { createEngine } from '../engines'
import { ConfigError } from '../shared/configEnv'
import { loadWorkerConfig } from './config'
import { defaultIdentity, startWorker } from './queueWorker'

// `npm run worker`: a queue-mode worker. It needs Redis and the server's internal API, never the
// database; run as many as you have GPUs, on any machine that reaches both.
let config: ReturnType<typeof loadWorkerConfig>
try {
	config = loadWorkerConfig()
} catch (err) {
	// One line saying what to fix; a stack trace would only bury it.
	if (!(err instanceof ConfigError)) throw err
	process.stderr.write(`${err.message}\n`)
	process.exit(1)
}
const logger = pino({ level: config.LOG_LEVEL, base: { app: 'arbor-worker' } })
const identity = config.ARBOR_WORKER_ID
	? { id: config.ARBOR_WORKER_ID, host: hostname() }
	: defaultIdentity()
const worker = await startWorker({
	redisUrl: config.REDIS_URL,
	serverUrl: config.ARBOR_SERVER_URL,
	token: config.ARBOR_WORKER_TOKEN,
	prefix: config.ARBOR_QUEUE_PREFIX,
	engine: createEngine(config),
	engineTimeoutMs: config.ARBOR_ENGINE_TIMEOUT_MS,
	logger,
	identity,
	concurrency: config.ARBOR_WORKER_CONCURRENCY,
	lockMs: config.ARBOR_WORKER_LOCK_MS,
	stalledIntervalMs: config.ARBOR_WORKER_STALLED_MS,
})
logger.info({ worker: identity, server: config.ARBOR_SERVER_URL }, 'worker is taking jobs')
process.stdout.write(
	`\n  Arbor worker ${identity.id} is taking jobs for ${config.ARBOR_SERVER_URL}\n\n`,
)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, async () => {
		if (stopping) process.exit(1)
		stopping = true
		logger.info({ signal, graceMs: config.ARBOR_WORKER_GRACE_MS }, 'finishing or handing back jobs')
		// Should Redis be unreachable, closing could wait forever; a lapsed lock re-runs the job anyway.
		setTimeout(() => process.exit(1), config.ARBOR_WORKER_GRACE_MS + 10_000).unref()
		await worker.close({ graceMs: config.ARBOR_WORKER_GRACE_MS })
		process.exit(0)
	})
}
