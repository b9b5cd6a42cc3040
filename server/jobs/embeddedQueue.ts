import { asc, eq, inArray, min, sql } from 'drizzle-orm'
import { isUnrecoverable } from '../../engines/errors'
import type { Db } from '../db/client'
import { jobs } from '../db/schema'
import type { Logger } from '../logger'
import { fairOrder, laneOf, type PendingJob } from './fairness'
import type { JobLifecycle, JobQueue } from './jobQueue'

export interface EmbeddedQueueOptions {
	db: Db
	lifecycle: JobLifecycle
	logger: Logger
	/** Jobs run at once. */
	concurrency: number
	/** First retry delay; doubles each attempt. Default 1000 ms. */
	backoffMs?: number
	/** Jobs one user may have running at once; others' jobs go first. Default: no cap. */
	maxRunningPerUser?: number
}

/**
 * The default transport: the `jobs` table is the queue. Claiming is one SQLite statement, so two
 * loops can never take the same job; a job found `running` at start-up was interrupted by a crash
 * and goes back to the queue (its attempt counts, so a job that kills the process cannot loop).
 */
export class EmbeddedQueue implements JobQueue {
	/** When each user's last job per lane started: equal ranks go to whoever waited longest. */
	private readonly served = new Map<string, number>()
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

	enqueue(jobId: string): void {
		this.tick()
		// Started or waiting, everyone should see where it stands (its place in line, its ETA).
		if (!this.active.has(jobId)) this.options.lifecycle.changed(jobId)
	}

	cancel(jobId: string): void {
		this.active.get(jobId)?.controller.abort(new Error('cancelled'))
	}

	/** Running first, then queued in claim order (fair between users; see fairness.ts). */
	pending() {
		const unfinished = this.unfinished(this.options.db)
		return [
			...unfinished.filter((job) => job.status === 'running'),
			...this.fairOrder(unfinished),
		].map((job) => ({ jobId: job.id, boardId: job.boardId, status: job.status }))
	}

	/** Unfinished jobs, running ones in the order they started. */
	private unfinished(db: Pick<Db, 'select'>) {
		return db
			.select({
				id: jobs.id,
				boardId: jobs.boardId,
				op: jobs.op,
				status: jobs.status,
				createdBy: jobs.createdBy,
				createdAt: jobs.createdAt,
				runAfter: jobs.runAfter,
			})
			.from(jobs)
			.where(inArray(jobs.status, ['queued', 'running']))
			.orderBy(asc(jobs.startedAt))
			.all() as PendingJob[]
	}

	private fairOrder(unfinished: PendingJob[]) {
		return fairOrder(unfinished, {
			now: Date.now(),
			lastServed: (user, lane) => this.served.get(`${user}:${lane}`),
		})
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
			const unfinished = this.unfinished(tx)
			const running = new Map<string, number>()
			for (const job of unfinished)
				if (job.status === 'running')
					running.set(job.createdBy, (running.get(job.createdBy) ?? 0) + 1)
			const cap = this.options.maxRunningPerUser ?? Number.POSITIVE_INFINITY
			// The fairest ready job whose owner is under their running cap.
			const next = this.fairOrder(unfinished).find(
				(job) => job.ready && (running.get(job.createdBy) ?? 0) < cap,
			)
			if (!next) return undefined
			this.served.set(`${next.createdBy}:${laneOf(next.op)}`, Date.now())
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
		// Never 0-and-give-up: a timer can fire a millisecond before Date.now() reaches the job's
		// runAfter, so the claim just made may have found it not yet due. Look again shortly.
		const delay = Math.max(1, row.next - Date.now())
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
				} else if (isUnrecoverable(err) || attempt >= maxAttempts) {
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
