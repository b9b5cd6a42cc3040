import { loadConfig } from './config'
import { createLogger } from './logger'
import { startServer } from './server'

// `npm start`: one process, embedded queue, built-in generator (see README for the options).
const config = loadConfig()
const logger = createLogger(config.LOG_LEVEL)
const running = await startServer({ config, logger })
logger.info({ dataDir: config.ARBOR_DATA_DIR, backend: config.ARBOR_BACKEND }, 'Arbor is running')
process.stdout.write(`\n  Arbor is running at ${running.url}\n\n`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, async () => {
		if (stopping) process.exit(1)
		stopping = true
		logger.info({ signal }, 'shutting down: handing running jobs back to the queue')
		await running.close()
		process.exit(0)
	})
}
