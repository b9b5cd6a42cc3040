import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createBackend } from '../engines'
import type { GeneratorBackend } from '../engines/types'
import { YJS_PATH_PREFIX } from '../shared/collab'
import { createApp } from './app'
import { AssetStore } from './assets/assetStore'
import { attachCollab, type Collab } from './collab/attachCollab'
import { createUpgradeAuthorizer } from './collab/authorizeUpgrade'
import type { Config } from './config'
import type { AppContext } from './context'
import { openDb } from './db/client'
import { BullmqQueue } from './jobs/bullmqQueue'
import { EmbeddedQueue } from './jobs/embeddedQueue'
import { createLocalLifecycle, createRemoteLifecycle } from './jobs/lifecycle'
import { ProgressPublisher } from './jobs/progress'
import { WorkerRegistry } from './jobs/workerRegistry'
import type { Logger } from './logger'
import { createMetrics } from './metrics'
import { getJobById } from './queries/views'

export interface RunningServer {
	url: string
	port: number
	ctx: AppContext
	collab: Collab
	close(): Promise<void>
}

/**
 * Starts Arbor: database, assets, HTTP API + client, Yjs rooms, and the job queue — embedded with
 * an in-process generator, or BullMQ feeding remote workers when `REDIS_URL` is set.
 */
export async function startServer(options: {
	config: Config
	logger: Logger
	backend?: GeneratorBackend
}): Promise<RunningServer> {
	const { config, logger } = options
	const db = openDb(config.dbFile)
	const assets = new AssetStore(config.assetsDir)

	const ctx = { config, db, logger, assets } as AppContext
	ctx.workers = new WorkerRegistry()
	// Queue mode (REDIS_URL): BullMQ on Redis, jobs run by `npm run worker` processes; the server
	// runs none. Embedded: the jobs table is the queue and the server runs jobs in-process.
	const redisUrl = config.REDIS_URL
	ctx.queue = redisUrl
		? new BullmqQueue({
				db,
				logger,
				redisUrl,
				prefix: config.ARBOR_QUEUE_PREFIX,
				backoffMs: config.ARBOR_RETRY_BACKOFF_MS,
				lifecycle: createRemoteLifecycle(ctx),
				onOrderChanged: () => ctx.progress?.publish(),
			})
		: new EmbeddedQueue({
				db,
				logger,
				concurrency: config.ARBOR_CONCURRENCY,
				backoffMs: config.ARBOR_RETRY_BACKOFF_MS,
				maxRunningPerUser: config.ARBOR_MAX_RUNNING_PER_USER,
				lifecycle: createLocalLifecycle(
					ctx,
					options.backend ?? createBackend(config.ARBOR_BACKEND, process.env),
				),
			})
	ctx.metrics = createMetrics({
		db,
		queue: () => ctx.queue,
		workers: ctx.workers,
		mode: redisUrl ? 'queue' : 'embedded',
		embeddedSlots: config.ARBOR_CONCURRENCY,
	})
	const app = createApp(ctx)
	const server = await new Promise<Server>((resolve) => {
		const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () =>
			resolve(s as Server),
		)
	})

	const collab = attachCollab(server, {
		db,
		logger,
		authorize: createUpgradeAuthorizer(db),
	})
	// Upgrades nobody claimed (not /yjs/…) would hang until the client gives up: end them now.
	server.on('upgrade', (req, socket) => {
		if (!req.url?.startsWith(YJS_PATH_PREFIX)) socket.destroy()
	})
	ctx.boards = collab.boards
	ctx.sockets = collab
	ctx.projections = collab.projections
	ctx.progress = new ProgressPublisher({
		boards: collab.boards,
		queue: () => ctx.queue,
		opOf: (jobId) => getJobById(db, jobId)?.op,
		concurrency: redisUrl ? () => ctx.workers.slots() : config.ARBOR_CONCURRENCY,
		onFinished: (op, ms, succeeded) => ctx.metrics.jobFinished(op, ms, succeeded),
	})
	await ctx.queue.start()

	const port = (server.address() as AddressInfo).port
	const host = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST
	let closed = false
	return {
		url: `http://${host}:${port}`,
		port,
		ctx,
		collab,
		async close() {
			if (closed) return
			closed = true
			await ctx.queue.stop()
			ctx.progress.close()
			await collab.close()
			await new Promise<void>((resolve) => {
				server.close(() => resolve())
				server.closeAllConnections()
			})
			db.$client.close()
		},
	}
}
