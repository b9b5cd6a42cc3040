import { asc, eq, min, sql } from 'drizzle-orm'
import { UnrecoverableJobError } from '../../worker/errors'
import type { Db } from '../db/client'
import { jobs } from '../db/schema'
import type { Logger } from '../logger'
import { fairOrder } from './fairness'
import type { JobLifecycle, JobQueue } from './jobQueue'

export interface EmbeddedQueueOptions {
	db: Db
	lifecycle: JobLifecycle
	logger: Logger
	/** Jobs run at once. */
	concurrency: number
	/** First retry delay; doubles each attempt. Default 1000 ms. */
	backoffMs?: number
}

/**
 * The default transport: the `jobs` table is the queue. Claiming is one SQLite statement, so two
 * loops can never take the same job; a job found `running` at start-up was interrupted by a crash
 * and goes back to the queue (its attempt counts, so a job that kills the process cannot loop).
 */
export class EmbeddedQueue implements JobQueue {
	private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>()
	private wakeTimer: NodeJS.Timeout | null = null
	private stopping = false
	private readonly backoffMs: number

	constructor(private readonly options: EmbeddedQueueOptions) {
		this.backoffMs = options.backoffMs ?? 1000
	}

	async start(): Promise<void> {
		const { db, lifecycle, logger } = this.options
		const interrupted = db
			.select({ id: jobs.id, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
			.from(jobs)
			.where(eq(jobs.status, 'running'))
			.all()
		for (const job of interrupted) {
			if (job.attempts >= job.maxAttempts) {
				// It was on its last attempt: a job that keeps taking the process down must not loop.
				logger.error({ jobId: job.id, attempts: job.attempts }, 'job lost to crashes; failing it')
				lifecycle.fail(job.id, `The worker stopped during this job ${job.attempts} times.`)
			} else {
				logger.warn({ jobId: job.id }, 'job was interrupted; queued again')
				db.update(jobs).set({ status: 'queued', runAfter: 0 }).where(eq(jobs.id, job.id)).run()
			}
			lifecycle.changed(job.id)
		}
		this.tick()
	}

	enqueue(_jobId: string): void {
		this.tick()
	}

	cancel(jobId: string): void {
		this.active.get(jobId)?.controller.abort(new Error('cancelled'))
	}

	/** Running first, then queued in claim order (fair between users; see fairness.ts). */
	pending() {
		const { db } = this.options
		const running = db
			.select({ jobId: jobs.id, boardId: jobs.boardId })
			.from(jobs)
			.where(eq(jobs.status, 'running'))
			.orderBy(asc(jobs.startedAt))
			.all()
		return [
			...running.map((job) => ({ ...job, status: 'running' as const })),
			...fairOrder(db, { now: Date.now() }).map((job) => ({
				jobId: job.id,
				boardId: job.boardId,
				status: 'queued' as const,
			})),
		]
	}

	async stop(): Promise<void> {
		this.stopping = true
		if (this.wakeTimer) clearTimeout(this.wakeTimer)
		for (const { controller } of this.active.values()) controller.abort(new Error('shutdown'))
		await Promise.all([...this.active.values()].map((a) => a.done))
	}

	private claim() {
		const { db } = this.options
		return db.transaction((tx) => {
			const [next] = fairOrder(tx, { now: Date.now(), readyOnly: true, limit: 1 })
			if (!next) return undefined
			return tx
				.update(jobs)
				.set({
					status: 'running',
					attempts: sql`${jobs.attempts} + 1`,
					startedAt: Date.now(),
					error: null,
				})
				.where(eq(jobs.id, next.id))
				.returning()
				.get()
		})
	}

	private tick(): void {
		if (this.stopping) return
		while (this.active.size < this.options.concurrency) {
			const job = this.claim()
			if (!job) break
			const controller = new AbortController()
			const done = this.run(job.id, job.attempts, job.maxAttempts, controller)
			this.active.set(job.id, { controller, done })
		}
		this.scheduleWake()
	}

	/** Sleeps until the earliest retry is due, so backoff needs no polling. */
	private scheduleWake(): void {
		if (this.wakeTimer) clearTimeout(this.wakeTimer)
		this.wakeTimer = null
		const row = this.options.db
			.select({ next: min(jobs.runAfter) })
			.from(jobs)
			.where(eq(jobs.status, 'queued'))
			.get()
		if (row?.next == null || this.active.size >= this.options.concurrency) return
		const delay = Math.max(0, row.next - Date.now())
		if (delay === 0) return
		this.wakeTimer = setTimeout(() => this.tick(), delay)
		this.wakeTimer.unref()
	}

	private async run(
		jobId: string,
		attempt: number,
		maxAttempts: number,
		controller: AbortController,
	): Promise<void> {
		const { lifecycle, logger, db } = this.options
		lifecycle.changed(jobId)
		try {
			await lifecycle.process(jobId, {
				signal: controller.signal,
				onProgress: (fraction) => lifecycle.progress(jobId, fraction),
			})
		} catch (err) {
			const current = db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId)).get()
			if (current?.status === 'running') {
				const message = err instanceof Error ? err.message : String(err)
				if (this.stopping) {
					// Shutdown: hand the job back untouched; the next start runs it again.
					db.update(jobs)
						.set({ status: 'queued', attempts: sql`${jobs.attempts} - 1` })
						.where(eq(jobs.id, jobId))
						.run()
				} else if (err instanceof UnrecoverableJobError || attempt >= maxAttempts) {
					logger.warn({ jobId, attempt, err: message }, 'job failed')
					lifecycle.fail(jobId, message)
				} else {
					const delay = this.backoffMs * 2 ** (attempt - 1)
					logger.warn({ jobId, attempt, delay, err: message }, 'job failed; will retry')
					db.update(jobs)
						.set({ status: 'queued', runAfter: Date.now() + delay, error: message })
						.where(eq(jobs.id, jobId))
						.run()
				}
			}
			// Otherwise it was cancelled (or finished) meanwhile: the error is the abort we caused.
		} finally {
			this.active.delete(jobId)
			lifecycle.changed(jobId)
			this.tick()
		}
	}
}
