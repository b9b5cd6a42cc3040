import { Queue, QueueEvents } from 'bullmq'
import { and, eq, inArray } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { isJobFinished } from '../../shared/api'
import { cancelChannel, type QueueJobData, queueNameFor } from '../../shared/queue'
import type { Db } from '../db/client'
import { jobs } from '../db/schema'
import type { Logger } from '../logger'
import { getJobById } from '../queries/views'
import { bullmqPriority, fairRank, laneOf } from './fairness'
import type { JobLifecycle, JobQueue } from './jobQueue'

export interface BullmqQueueOptions {
	db: Db
	/** Only `fail` and `changed` are used: in queue mode jobs run on workers, not here. */
	lifecycle: JobLifecycle
	logger: Logger
	redisUrl: string
	/** Redis key prefix (`ARBOR_QUEUE_PREFIX`); tests use a unique one each. */
	prefix: string
	/** First retry delay; doubles each attempt. Default 1000 ms. */
	backoffMs?: number
	/** Compare the record with Redis this often, and on every reconnect. Default 15 s. */
	reconcileEveryMs?: number
	/** BullMQ's order of the line changed: positions and ETAs should be published again. */
	onOrderChanged?: () => void
}

interface Line {
	queue: Queue
	events: QueueEvents
	eventsConnection: Redis
}

/** Places in line are read this far; later jobs show as queued without a position. */
const ORDER_WINDOW = 1000
const REFRESH_DEBOUNCE_MS = 50

/**
 * Queue mode, server side: the server only enqueues; `npm run worker` processes consume the queue
 * and report back over the internal API. The database stays the record and Redis the transport:
 * whatever Redis loses (a restart without persistence, an eviction) is put back from the record
 * on reconnect and every `reconcileEveryMs`. Delivery is at-least-once; completion is idempotent
 * (images unique per job and index, only a running job completes), so a job delivered twice
 * still shows once.
 */
export class BullmqQueue implements JobQueue {
	private connection!: Redis
	/** One BullMQ queue per model asked for (`queueNameFor`), made when first needed. */
	private readonly lines = new Map<string, Line>()
	/** BullMQ's line, read asynchronously: job id → running, or its place among the queued. */
	private order = new Map<string, { running: boolean; index: number }>()
	private readonly inflight = new Set<Promise<unknown>>()
	private refreshTimer: NodeJS.Timeout | null = null
	private reconcileTimer: NodeJS.Timeout | null = null
	private reconciling = false
	private reconcileAgain = false
	private stopped = false
	private readonly backoffMs: number
	private connect!: (role: string) => Redis

	constructor(private readonly options: BullmqQueueOptions) {
		this.backoffMs = options.backoffMs ?? 1000
	}

	async start(): Promise<void> {
		const { redisUrl, logger } = this.options
		const connect = (role: string) => {
			// null: commands wait for Redis to come back instead of failing after 20 retries.
			const redis = new Redis(redisUrl, {
				maxRetriesPerRequest: null,
				connectionName: `arbor-${role}`,
			})
			redis.on('error', (err) => logger.warn({ err: err.message, role }, 'redis connection error'))
			return redis
		}
		this.connect = connect
		this.connection = connect('server')
		// The shared line, and one per model the unfinished jobs ask for.
		const models = this.options.db
			.selectDistinct({ model: jobs.model })
			.from(jobs)
			.where(inArray(jobs.status, ['queued', 'running']))
			.all()
		const lines = [this.lineFor(null), ...models.map((m) => this.lineFor(m.model))]
		await Promise.all(lines.flatMap((l) => [l.queue.waitUntilReady(), l.events.waitUntilReady()]))
		// After a Redis restart the queue may be empty: put back what the record says is unfinished.
		this.connection.on('ready', () => this.reconcileSoon())
		await this.reconcile()
		this.reconcileTimer = setInterval(
			() => this.reconcileSoon(),
			this.options.reconcileEveryMs ?? 15_000,
		)
		this.reconcileTimer.unref()
	}

	/** The BullMQ queue (and its event stream) of jobs asking for `model`. */
	private lineFor(model: string | null): Line {
		const name = queueNameFor(model)
		const known = this.lines.get(name)
		if (known) return known
		const { prefix, logger } = this.options
		const queue = new Queue(name, {
			connection: this.connection,
			prefix,
			// Finished jobs are kept a while for inspection; the record lives in SQLite anyway.
			defaultJobOptions: {
				removeOnComplete: { age: 3600, count: 1000 },
				removeOnFail: { age: 24 * 3600, count: 5000 },
			},
		})
		// Event streams block while they wait: each gets its own connection.
		const eventsConnection = this.connect(`server-events-${this.lines.size}`)
		const events = new QueueEvents(name, { connection: eventsConnection, prefix })
		queue.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'queue error'))
		events.on('error', (err) =>
			logger.warn({ err: err.message, queue: name }, 'queue events error'),
		)
		events.on('failed', ({ jobId, failedReason }) => this.track(this.onFailed(jobId, failedReason)))
		events.on('stalled', ({ jobId }) => this.track(this.onStalled(jobId)))
		for (const event of ['added', 'active', 'waiting', 'completed', 'removed', 'delayed'] as const)
			events.on(event, () => this.refreshSoon())
		const line = { queue, events, eventsConnection }
		this.lines.set(name, line)
		return line
	}

	/** The line a recorded job belongs to (by the model it asked for). */
	private lineOfJob(jobId: string): Line {
		return this.lineFor(getJobById(this.options.db, jobId)?.model ?? null)
	}

	enqueue(jobId: string): void {
		this.track(this.add(jobId))
	}

	cancel(jobId: string): void {
		this.track(
			(async () => {
				try {
					// Waiting: gone. Running: locked, so it stays; its worker is told just below.
					await this.lineOfJob(jobId).queue.remove(jobId)
				} catch (err) {
					this.options.logger.debug({ jobId, err: String(err) }, 'cancel: job is running')
				}
				await this.connection.publish(cancelChannel(this.options.prefix), jobId)
				this.refreshSoon()
			})(),
		)
	}

	/**
	 * Unfinished jobs, running first, then in BullMQ's order. Which jobs are unfinished comes from
	 * the record (always current); their order from the last read of Redis.
	 */
	pending() {
		const rows = this.options.db
			.select({ jobId: jobs.id, boardId: jobs.boardId, status: jobs.status })
			.from(jobs)
			.where(inArray(jobs.status, ['queued', 'running']))
			.orderBy(jobs.createdAt)
			.all()
		const placed = rows.map((row, i) => {
			const seen = this.order.get(row.jobId)
			// The record knows first that a worker started; BullMQ first that a job went back in line.
			const running = seen ? seen.running || row.status === 'running' : row.status === 'running'
			return { row, running, rank: seen?.index ?? ORDER_WINDOW + i }
		})
		placed.sort((a, b) => Number(b.running) - Number(a.running) || a.rank - b.rank)
		return placed.map(({ row, running }) => ({
			jobId: row.jobId,
			boardId: row.boardId,
			status: running ? ('running' as const) : ('queued' as const),
		}))
	}

	async stop(): Promise<void> {
		this.stopped = true
		if (this.refreshTimer) clearTimeout(this.refreshTimer)
		if (this.reconcileTimer) clearInterval(this.reconcileTimer)
		// Enqueues in flight finish if Redis answers soon; otherwise reconcile adds them next start.
		await Promise.race([
			Promise.allSettled([...this.inflight]),
			new Promise((r) => setTimeout(r, 2000).unref()),
		])
		const lines = [...this.lines.values()]
		const closed = await Promise.race([
			Promise.allSettled(lines.flatMap((l) => [l.events.close(), l.queue.close()])).then(
				() => true,
			),
			new Promise<false>((r) => setTimeout(() => r(false), 2000).unref()),
		])
		if (!closed) {
			// A connection caught mid-reconnect never reports 'end' (ioredis), so BullMQ's close
			// waits forever: cut BullMQ's own connections instead.
			for (const client of await Promise.all(
				lines.flatMap((l) => [l.events.getBackend().client, l.queue.getBackend().client]),
			))
				client.disconnect()
		}
		this.connection.disconnect()
		for (const line of lines) line.eventsConnection.disconnect()
	}

	/** Redis answers within `timeoutMs` (health checks). */
	async ping(timeoutMs = 1000): Promise<boolean> {
		if (this.connection.status !== 'ready') return false
		const timeout = new Promise<false>((r) => setTimeout(() => r(false), timeoutMs).unref())
		return Promise.race([this.connection.ping().then((reply) => reply === 'PONG'), timeout])
	}

	/** BullMQ's job counts by state (metrics). */
	async counts(): Promise<Record<string, number>> {
		const total: Record<string, number> = {}
		for (const line of this.lines.values()) {
			const counts = await line.queue.getJobCounts(
				'active',
				'waiting',
				'prioritized',
				'delayed',
				'failed',
			)
			for (const [state, n] of Object.entries(counts)) total[state] = (total[state] ?? 0) + n
		}
		return total
	}

	private track(work: Promise<unknown>): void {
		const tracked = work
			.catch((err) => {
				// Nothing is lost: the record still says the job is unfinished, and reconcile re-adds it.
				if (!this.stopped) this.options.logger.warn({ err: String(err) }, 'queue operation failed')
			})
			.finally(() => this.inflight.delete(tracked))
		this.inflight.add(tracked)
	}

	/** Puts an unfinished job in line, replacing a finished BullMQ entry left from an earlier run. */
	private async add(jobId: string): Promise<void> {
		const { db } = this.options
		const job = getJobById(db, jobId)
		if (!job || isJobFinished(job.status)) return
		const { queue } = this.lineFor(job.model ?? null)
		const existing = await queue.getJob(jobId)
		if (existing) {
			const state = await existing.getState()
			if (state !== 'completed' && state !== 'failed') return
			await existing.remove()
		}
		const data: QueueJobData = { jobId: job.id, boardId: job.boardId }
		await queue.add(job.op, data, {
			jobId: job.id,
			priority: bullmqPriority(laneOf(job.op), fairRank(db, job)),
			attempts: Math.max(1, job.maxAttempts - job.attempts),
			backoff: { type: 'exponential', delay: this.backoffMs },
		})
		this.refreshSoon()
	}

	/** The final failure (retries spent, unrecoverable, or stalled too often). */
	private async onFailed(jobId: string, reason: string): Promise<void> {
		const job = getJobById(this.options.db, jobId)
		if (!job || isJobFinished(job.status)) return
		this.options.logger.warn({ jobId, reason }, 'job failed')
		this.options.lifecycle.fail(jobId, reason)
		this.options.lifecycle.changed(jobId)
	}

	/** Its worker died: the job is back in line, and its node should say so. */
	private async onStalled(jobId: string): Promise<void> {
		if ((await this.lineOfJob(jobId).queue.getJobState(jobId)) === 'active') return // taken again
		const requeued = this.options.db
			.update(jobs)
			.set({ status: 'queued' })
			.where(and(eq(jobs.id, jobId), eq(jobs.status, 'running')))
			.returning({ id: jobs.id })
			.get()
		if (!requeued) return
		this.options.logger.warn({ jobId }, 'worker lost during job; queued again')
		this.options.lifecycle.changed(jobId)
	}

	private refreshSoon(): void {
		if (this.refreshTimer || this.stopped) return
		this.refreshTimer = setTimeout(() => {
			this.refreshTimer = null
			this.track(this.refresh())
		}, REFRESH_DEBOUNCE_MS)
		this.refreshTimer.unref()
	}

	private async refresh(): Promise<void> {
		const last = ORDER_WINDOW - 1
		const order = new Map<string, { running: boolean; index: number }>()
		// Each model's line runs on its own workers: a place is counted within the job's own line.
		for (const { queue } of this.lines.values()) {
			const [active, waiting, prioritized, delayed] = await Promise.all([
				queue.getRanges(['active'], 0, last, true),
				queue.getRanges(['waiting'], 0, last, true),
				queue.getRanges(['prioritized'], 0, last, true),
				queue.getRanges(['delayed'], 0, last, true),
			])
			for (const id of active) order.set(id, { running: true, index: 0 })
			// BullMQ takes plain waiting jobs (handed back) before prioritized ones, delayed ones last.
			let index = 0
			for (const id of [...waiting, ...prioritized, ...delayed])
				if (!order.has(id)) order.set(id, { running: false, index: index++ })
		}
		this.order = order
		this.options.onOrderChanged?.()
	}

	private reconcileSoon(): void {
		if (this.stopped) return
		if (this.reconciling) this.reconcileAgain = true
		else this.track(this.reconcile())
	}

	/**
	 * Makes Redis agree with the record: every unfinished job is in line or running. A job BullMQ
	 * no longer knows (or finished from an earlier run) goes back in line; one BullMQ failed
	 * after it started here is failed in the record too (its event was missed while we were down).
	 */
	private async reconcile(): Promise<void> {
		this.reconciling = true
		try {
			const unfinished = this.options.db
				.select({ id: jobs.id, attempts: jobs.attempts, model: jobs.model })
				.from(jobs)
				.where(inArray(jobs.status, ['queued', 'running']))
				.all()
			for (let i = 0; i < unfinished.length; i += 50) {
				await Promise.all(
					unfinished.slice(i, i + 50).map(async (job) => {
						const { queue } = this.lineFor(job.model ?? null)
						const state = await queue.getJobState(job.id)
						if (state === 'failed' && job.attempts > 0) {
							const failed = await queue.getJob(job.id)
							await this.onFailed(job.id, failed?.failedReason || 'The job failed.')
						} else if (state === 'unknown' || state === 'completed' || state === 'failed') {
							this.options.logger.warn({ jobId: job.id, state }, 'job not in line; adding it again')
							await this.add(job.id)
						}
					}),
				)
			}
			this.refreshSoon()
		} finally {
			this.reconciling = false
			if (this.reconcileAgain && !this.stopped) {
				this.reconcileAgain = false
				this.track(this.reconcile())
			}
		}
	}
}
