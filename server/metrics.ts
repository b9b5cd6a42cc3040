import { sql } from 'drizzle-orm'
import { Gauge, Histogram, Registry } from 'prom-client'
import type { Db } from './db/client'
import { BullmqQueue } from './jobs/bullmqQueue'
import type { JobQueue } from './jobs/jobQueue'
import type { WorkerRegistry } from './jobs/workerRegistry'

export interface Metrics {
	registry: Registry
	/** A job this server saw start has finished. */
	jobFinished(op: string, ms: number, succeeded: boolean): void
}

/**
 * Prometheus metrics for `GET /metrics`, in both modes. Counts are read from the record (and from
 * BullMQ in queue mode) when scraped, so they survive restarts and agree with the API. One
 * registry per server, not prom-client's global one, so tests can run several servers.
 */
export function createMetrics(deps: {
	db: Db
	queue: () => JobQueue
	workers: WorkerRegistry
	mode: 'embedded' | 'queue'
	embeddedSlots: number
}): Metrics {
	const registry = new Registry()
	const { db } = deps

	new Gauge({
		name: 'arbor_jobs',
		help: 'Jobs in the record, by state and op.',
		labelNames: ['state', 'op'] as const,
		registers: [registry],
		collect() {
			this.reset()
			const rows = db.all<{ status: string; op: string; n: number }>(
				sql`SELECT status, op, count(*) AS n FROM jobs GROUP BY status, op`,
			)
			for (const row of rows) this.set({ state: row.status, op: row.op }, row.n)
		},
	})

	new Gauge({
		name: 'arbor_queue_depth',
		help: 'Unfinished jobs: queued (waiting for a worker) and running.',
		labelNames: ['state'] as const,
		registers: [registry],
		collect() {
			const pending = deps.queue().pending()
			const running = pending.filter((j) => j.status === 'running').length
			this.set({ state: 'running' }, running)
			this.set({ state: 'queued' }, pending.length - running)
		},
	})

	new Gauge({
		name: 'arbor_bullmq_jobs',
		help: 'BullMQ job counts by state (queue mode only).',
		labelNames: ['state'] as const,
		registers: [registry],
		async collect() {
			this.reset()
			const queue = deps.queue()
			if (!(queue instanceof BullmqQueue) || !(await queue.ping())) return
			for (const [state, n] of Object.entries(await queue.counts())) this.set({ state }, n)
		},
	})

	new Gauge({
		name: 'arbor_worker_slots',
		help: 'Jobs that can run at once: live workers’ concurrency (queue mode) or ARBOR_CONCURRENCY.',
		registers: [registry],
		collect() {
			this.set(deps.mode === 'queue' ? deps.workers.slots() : deps.embeddedSlots)
		},
	})

	new Gauge({
		name: 'arbor_workers_seen',
		help: 'Queue-mode workers heard from in the last 30 s.',
		registers: [registry],
		collect() {
			this.set(deps.workers.recent().length)
		},
	})

	const duration = new Histogram({
		name: 'arbor_job_duration_seconds',
		help: 'Time from a job starting to it finishing, by op and outcome.',
		labelNames: ['op', 'outcome'] as const,
		buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
		registers: [registry],
	})

	return {
		registry,
		jobFinished(op, ms, succeeded) {
			duration.observe({ op, outcome: succeeded ? 'done' : 'not_done' }, ms / 1000)
		},
	}
}
