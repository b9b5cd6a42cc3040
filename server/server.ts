import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { createEngine } from '../engines'
import type { Engine } from '../engines/types'
import { YJS_PATH_PREFIX } from '../shared/collab'
import { isModelServed } from '../shared/engines'
import { createApp } from './app'
import { AssetStore } from './assets/assetStore'
import { createLimits } from './auth/limits'
import { createCanvasOutbox } from './canvas/canvasOutbox'
import { attachCollab, type Collab } from './collab/attachCollab'
import { createUpgradeAuthorizer } from './collab/authorizeUpgrade'
import type { Config } from './config'
import type { AppContext } from './context'
import { openDb } from './db/client'
import { parseTrustedProxies } from './http/clientAddress'
import { createOriginPolicy } from './http/originPolicy'
import { BullmqQueue } from './jobs/bullmqQueue'
import { EmbeddedQueue } from './jobs/embeddedQueue'
import { localEngineDirectory, remoteEngineDirectory } from './jobs/engineDirectory'
import { createLocalLifecycle, createRemoteLifecycle } from './jobs/lifecycle'
import { PreviewStore } from './jobs/previews'
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
	backend?: Engine
}): Promise<RunningServer> {
	const { config, logger } = options
	const db = openDb(config.dbFile)
	const assets = new AssetStore(config.assetsDir)
	const workers = new WorkerRegistry()
	// The HTTP server first, so the Yjs rooms can attach to it; the API handles its requests once
	// the app exists (below), and it listens last.
	const server = createServer()
	const trustedProxies = parseTrustedProxies(config.ARBOR_TRUST_PROXY)
	const collab = attachCollab(server, {
		db,
		logger,
		idleDocMs: config.ARBOR_IDLE_BOARD_MS,
		authorize: createUpgradeAuthorizer(db, {
			originPolicy: createOriginPolicy(config),
			trustedProxies,
		}),
	})
	// Upgrades nobody claimed (not /yjs/…) would hang until the client gives up: end them now.
	server.on('upgrade', (req, socket) => {
		if (!req.url?.startsWith(YJS_PATH_PREFIX)) socket.destroy()
	})
	const canvas = createCanvasOutbox({ db, boards: collab.boards, logger })

	// The queue, the progress publisher and the commands a queue runs need each other: the
	// publisher shows the queue's order, a job's lifecycle reaches the whole context. So they reach
	// one another through these functions, called only once the server has started.
	const context = (): AppContext => ctx
	const redisUrl = config.REDIS_URL
	// Queue mode (REDIS_URL): BullMQ on Redis, jobs run by `npm run worker` processes; the server
	// runs none. Embedded: the jobs table is the queue and the server runs jobs in-process.
	let engine: Engine | null = null
	let localEngines: ReturnType<typeof localEngineDirectory> | null = null
	let queue: BullmqQueue | EmbeddedQueue
	if (redisUrl) {
		queue = new BullmqQueue({
			db,
			logger,
			redisUrl,
			prefix: config.ARBOR_QUEUE_PREFIX,
			backoffMs: config.ARBOR_RETRY_BACKOFF_MS,
			lifecycle: createRemoteLifecycle(context),
			onOrderChanged: () => context().progress.publish(),
		})
	} else {
		engine = options.backend ?? createEngine(config)
		localEngines = localEngineDirectory(engine, logger)
		queue = new EmbeddedQueue({
			db,
			logger,
			concurrency: config.ARBOR_CONCURRENCY,
			backoffMs: config.ARBOR_RETRY_BACKOFF_MS,
			maxRunningPerUser: config.ARBOR_MAX_RUNNING_PER_USER,
			lifecycle: createLocalLifecycle(context, engine),
		})
	}
	const engines = localEngines ?? remoteEngineDirectory(workers)
	const metrics = createMetrics({
		db,
		queue: () => queue,
		workers,
		mode: redisUrl ? 'queue' : 'embedded',
		embeddedSlots: config.ARBOR_CONCURRENCY,
	})
	const progress = new ProgressPublisher({
		boards: collab.boards,
		queue: () => queue,
		opOf: (jobId) => getJobById(db, jobId)?.op,
		concurrency: redisUrl ? () => workers.slots() : config.ARBOR_CONCURRENCY,
		onFinished: (op, ms, succeeded) => metrics.jobFinished(op, ms, succeeded),
		// Queue mode: a job for a model no live worker serves says so instead of waiting silently.
		unservedModel: redisUrl
			? (jobId) => {
					const model = getJobById(db, jobId)?.model
					return model && !isModelServed(engines.list(), model) ? model : null
				}
			: undefined,
	})
	const previews = new PreviewStore({ onPreview: (jobId, n) => progress.preview(jobId, n) })
	const ctx: AppContext = {
		config,
		db,
		logger,
		assets,
		boards: collab.boards,
		sockets: collab,
		projections: collab.projections,
		canvas,
		queue,
		progress,
		previews,
		workers,
		engines,
		metrics,
		limits: createLimits(config),
		trustedProxies,
	}
	server.on('request', getRequestListener(createApp(ctx).fetch, { hostname: config.HOST }))

	// Before any client connects or job runs: writes owed from before a crash are made, and every
	// node shows what its job's record says.
	canvas.reconcile()
	// Discovery runs beside start-up: a slow or unreachable engine must not hold the server.
	void engines.refresh()
	await queue.start()
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject)
		server.listen(config.PORT, config.HOST, () => {
			server.off('error', reject)
			resolve()
		})
	})

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
			localEngines?.close()
			await engine?.close?.()
			ctx.progress.close()
			ctx.previews.close()
			await collab.close()
			await new Promise<void>((resolve) => {
				server.close(() => resolve())
				server.closeAllConnections()
			})
			db.$client.close()
		},
	}
}
