import { buildServer } from '../test/factories'
import { freePort, spawnServer } from '../test/queueMode'
import { describeQueueContract } from './queueContract'

describeQueueContract('embedded (SQLite)', {
	async start({ dataDir, backend }) {
		const server = await buildServer({ dataDir, backend })
		return { server, close: () => server.close() }
	},
	async crashable(dataDir) {
		// The server runs the jobs: it is the process that gets killed and restarted, on one port.
		const port = await freePort()
		const runners: Awaited<ReturnType<typeof spawnServer>>[] = []
		return {
			url: `http://127.0.0.1:${port}`,
			async startRunner(delayMs) {
				const runner = await spawnServer(dataDir, {
					PORT: String(port),
					ARBOR_BUILTIN_DELAY_MS: String(delayMs),
				})
				runners.push(runner)
				return { kill: async () => void (await runner.stop('SIGKILL')) }
			},
			async close() {
				for (const runner of runners) await runner.stop('SIGKILL')
			},
		}
	},
	rerunWithinMs: null,
})
