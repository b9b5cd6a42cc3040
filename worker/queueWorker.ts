import { hostname } from 'node:os'
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { isUnrecoverable } from '../engines/errors'
import { createPreviewRelay } from '../engines/previews'
import { runJob } from '../engines/runJob'
import type { Engine } from '../engines/types'
import type { EngineHealth, EngineModel } from '../shared/engines'
import type { WorkerIdentity } from '../shared/internalApi'
import {
	cancelChannel,
	DEFAULT_QUEUE_PREFIX,
	QUEUE_NAME,
	QUEUE_TIMING,
	QueueJobDataSchema,
	queueNameFor,
} from '../shared/queue'
import { createServerApi, ServerRefusedError } from './serverApi'

export interface StartWorkerOptions {
	redisUrl: string
	/** `ARBOR_SERVER_URL`: the server's internal API. */
	serverUrl: string
	token: string
	engine: Engine
	logger: Logger
	/** `ARBOR_ENGINE_TIMEOUT_MS`: longest one engine call may take. Default: no deadline. */
	engineTimeoutMs?: number
	/** Redis key prefix; must match the server's `ARBOR_QUEUE_PREFIX`. Default `arbor`. */
	prefix?: string
	/** Recorded in provenance. Default `{ id: <host>-<pid>, host: <host> }`. */
	identity?: WorkerIdentity
	/** Jobs at once (a GPU usually runs one). Default 1. */
	concurrency?: number
	/** Crash detection (see QUEUE_TIMING); shorter in tests. */
	lockMs?: number
	stalledIntervalMs?: number
	/** How long calls to the server retry while it is down. Default 60 s. */
	serverRetryMs?: number
	/** Default 5 s. */
	heartbeatMs?: number
	/** Progress reports at most this often. Default 200 ms. */
	progressEveryMs?: number
}

export interface RunningWorker {
	identity: WorkerIdentity
	/** Jobs being processed now. */
	active(): string[]
	/**
	 * Stops taking jobs and lets the active ones finish for up to `graceMs` (default 20 s); any
	 * still running then are aborted and handed back to the queue for another worker, without
	 * counting as an attempt.
	 */
	close(options?: { graceMs?: number }): Promise<void>
}

/** Why a job's run was aborted by us (BullMQ's own `cancelJob` passes a string reason). */
const CANCELLED = 'cancelled'
const SHUTDOWN = 'shutdown'

export function defaultIdentity(): WorkerIdentity {
	const host = hostname()
	return { id: `${host.replace(/[^A-Za-z0-9._:-]/g, '-')}-${process.pid}`, host }
}

/**
 * A queue-mode worker: takes jobs from BullMQ, runs them with the one job runner, and reports to
 * the server over its internal API. Stateless: kill it at any time, the job runs again elsewhere.
 */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
	const { engine, logger } = options
	const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX
	const identity = options.identity ?? defaultIdentity()
	const concurrency = options.concurrency ?? 1
	const progressEveryMs = options.progressEveryMs ?? 200
	const api = createServerApi({
		url: options.serverUrl,
		token: options.token,
		worker: identity,
		retryForMs: options.serverRetryMs,
	})
	const active = new Map<string, AbortController>()

	async function process(job: Job, token: string | undefined, signal?: AbortSignal) {
		const data = QueueJobDataSchema.safeParse(job.data)
		if (!data.success) throw new UnrecoverableError(`Bad queue entry: ${data.error.message}`)
		const { jobId } = data.data
		const controller = new AbortController()
		const onBullAbort = () => controller.abort(CANCELLED)
		signal?.addEventListener('abort', onBullAbort, { once: true })
		active.set(jobId, controller)
		const log = logger.child({ jobId, attempt: job.attemptsMade + 1 })
		try {
			const started = await api.start(jobId, controller.signal)
			if (!started) return { outcome: 'not-wanted' }
			const progress = progressReporter(jobId, controller, log)
			const previews = createPreviewRelay({
				send: async (bytes) => {
					const { cancelled } = await api.preview(jobId, bytes)
					if (cancelled) controller.abort(CANCELLED)
				},
				// Previews are best effort: a lost one is replaced half a second later.
				onError: (err) => log.debug({ err: String(err) }, 'preview not delivered'),
			})
			const outputs = await runJob(started.payload, {
				engine,
				io: { getImagePng: (imageId) => api.image(jobId, imageId, controller.signal) },
				signal: controller.signal,
				onProgress: progress,
				timeoutMs: options.engineTimeoutMs,
				onPreview: previews.push,
			}).finally(() => previews.close())
			const uploaded = await Promise.all(
				outputs.map(async (o) => ({
					index: o.index,
					seed: o.seed,
					sha256: await api.upload(jobId, o.index, o.png, controller.signal),
					record: o.record,
				})),
			)
			const recorded = await api.complete(
				jobId,
				{ outputs: uploaded, backend: engine.info },
				controller.signal,
			)
			log.info({ recorded }, 'job done')
			return { outcome: recorded ? 'done' : 'already-done' }
		} catch (err) {
			const why = controller.signal.aborted ? controller.signal.reason : null
			if (why === SHUTDOWN && token) {
				await job.moveToWait(token)
				await api.handBack(jobId).catch((e) => log.warn({ err: String(e) }, 'hand-back not told'))
				log.info('handed the job back to the queue')
				throw new WaitingError()
			}
			// Cancelled, or finished elsewhere meanwhile (409): nothing to report, nothing to retry.
			if (why === CANCELLED || (err instanceof ServerRefusedError && err.status === 409))
				return { outcome: 'cancelled' }
			const message = err instanceof Error ? err.message : String(err)
			const unrecoverable =
				isUnrecoverable(err) || (err instanceof ServerRefusedError && err.status === 422)
			const final = unrecoverable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
			log.warn({ err: message, final }, 'job attempt failed')
			// If the server cannot be told, BullMQ's own `failed` event reaches it (final failures).
			await api
				.fail(jobId, message, final)
				.catch((e) => log.warn({ err: String(e) }, 'fail not told'))
			if (unrecoverable) throw new UnrecoverableError(message)
			throw err
		} finally {
			signal?.removeEventListener('abort', onBullAbort)
			active.delete(jobId)
		}
	}

	/** Reports progress at most every `progressEveryMs`; a reply saying cancelled aborts the run. */
	function progressReporter(jobId: string, controller: AbortController, log: Logger) {
		let last = 0
		let sending = false
		return (fraction: number) => {
			const now = Date.now()
			if (sending || now - last < progressEveryMs) return
			sending = true
			last = now
			api
				.progress(jobId, fraction)
				.then(({ cancelled }) => {
					if (cancelled) controller.abort(CANCELLED)
				})
				// Progress is best effort: a server restarting loses a few percent, nothing else.
				.catch((err) => log.debug({ err: String(err) }, 'progress not delivered'))
				.finally(() => {
					sending = false
				})
		}
	}

	const redis = (role: string) => {
		const client = new Redis(options.redisUrl, {
			maxRetriesPerRequest: null,
			connectionName: `arbor-worker-${role}`,
		})
		client.on('error', (err) => logger.warn({ err: err.message, role }, 'redis connection error'))
		return client
	}
	const connection = redis('queue')
	const subscriber = redis('cancel')
	subscriber.on('message', (_channel, jobId: string) => active.get(jobId)?.abort(CANCELLED))
	await subscriber.subscribe(cancelChannel(prefix))

	// One consumer per line this engine serves: the shared line (jobs naming no model) and each
	// served model's own (`queueNameFor`), so a job reaches only workers that can run its model.
	// They share the machine's slots: when all are busy every consumer pauses (taking nothing new),
	// and resumes when one frees. Between a take and the pause another consumer may take one job
	// more; it runs alongside rather than waiting.
	const consumers = new Map<string, Worker>()
	let busy = 0
	const throttle = (delta: number) => {
		busy += delta
		for (const consumer of consumers.values()) {
			if (busy >= concurrency && !consumer.isPaused()) consumer.pause(true)
			else if (busy < concurrency && consumer.isPaused() && !closing) consumer.resume()
		}
	}
	const processInSlot = async (job: Job, token: string | undefined, signal?: AbortSignal) => {
		throttle(1)
		try {
			return await process(job, token, signal)
		} finally {
			throttle(-1)
		}
	}
	const consume = async (name: string) => {
		if (consumers.has(name) || closing) return
		const consumer = new Worker(name, processInSlot, {
			connection,
			prefix,
			concurrency,
			name: identity.id,
			lockDuration: options.lockMs ?? QUEUE_TIMING.LOCK_MS,
			stalledInterval: options.stalledIntervalMs ?? QUEUE_TIMING.STALLED_INTERVAL_MS,
			maxStalledCount: QUEUE_TIMING.MAX_STALLS,
		})
		consumer.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'worker error'))
		consumers.set(name, consumer)
		if (busy >= concurrency) consumer.pause(true)
		await consumer.waitUntilReady()
	}
	let closing: Promise<void> | null = null
	await consume(QUEUE_NAME)
	await consume(queueNameFor(engine.info.model))

	// Discovery may be slow or down (a GPU box still starting): heartbeats go on without models.
	let models: EngineModel[] | undefined
	let health: EngineHealth | undefined
	const discover = () =>
		engine
			.models({ signal: AbortSignal.timeout(10_000) })
			.then(async (found) => {
				models = found.slice(0, 500)
				for (const model of models) await consume(queueNameFor(model.id))
				health = await engine.health?.({ signal: AbortSignal.timeout(10_000) })
			})
			.catch((err) => logger.warn({ err: String(err) }, 'engine model discovery failed'))
	const beat = () =>
		api
			.heartbeat({
				concurrency,
				active: [...active.keys()],
				backend: engine.info,
				capabilities: engine.capabilities,
				...(models ? { models } : {}),
				...(health ? { health } : {}),
			})
			.catch((err) => logger.debug({ err: String(err) }, 'heartbeat not delivered'))
	void beat()
	// Announce the models as soon as they are known, not a heartbeat later.
	void discover().then(beat)
	const heartbeat = setInterval(beat, options.heartbeatMs ?? 5000)
	const rediscover = setInterval(discover, 60_000)
	rediscover.unref()
	heartbeat.unref()

	return {
		identity,
		active: () => [...active.keys()],
		close({ graceMs = 20_000 } = {}) {
			closing ??= (async () => {
				clearInterval(heartbeat)
				clearInterval(rediscover)
				const handBack = setTimeout(() => {
					for (const controller of active.values()) controller.abort(SHUTDOWN)
				}, graceMs)
				await Promise.all([...consumers.values()].map((consumer) => consumer.close()))
				clearTimeout(handBack)
				subscriber.disconnect()
				connection.disconnect()
			})()
			return closing
		},
	}
}
