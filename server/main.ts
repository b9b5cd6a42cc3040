import { ConfigError } from '../shared/configEnv'
import { type Config, loadConfig } from './config'
import { createLogger } from './logger'
import { startServer } from './server'

// `npm start`: one process, embedded queue, built-in generator (see README for the options).
let config: Config
try {
	config = loadConfig()
} catch (err) {
	// One line saying what to fix; a stack trace would only bury it.
	if (!(err instanceof ConfigError)) throw err
	process.stderr.write(`${err.message}\n`)
	process.exit(1)
}
const logger = createLogger(config.LOG_LEVEL)
const running = await startServer({ config, logger })
logger.info({ dataDir: config.ARBOR_DATA_DIR, backend: config.ARBOR_BACKEND }, 'Arbor is running')
process.stdout.write(`\n  Arbor is running at ${running.url}\n\n`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, async () => {
		if (stopping) process.exit(1)
		stopping = true
		const timeoutMs = config.ARBOR_SHUTDOWN_TIMEOUT_MS
		logger.info({ signal, timeoutMs }, 'shutting down: handing running jobs back to the queue')
		// A job that ignores its abort, or a store that hangs, must not keep the process alive:
		// what was not handed back is recovered at the next start (interrupted jobs re-run).
		setTimeout(() => {
			logger.error({ timeoutMs }, 'shutdown took too long; exiting anyway')
			process.exit(1)
		}, timeoutMs).unref()
		await running.close()
		process.exit(0)
	})
}
