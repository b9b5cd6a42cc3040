import type { JobProgress } from '../../shared/collab'
import type { BoardDocs } from '../collab/boardDocs'
import type { JobQueue } from './jobQueue'

/** A new duration counts this much in the moving average of an op's run time. */
const EMA_WEIGHT = 0.3
/** Progress of one job is published at most this often. */
const PUBLISH_EVERY_MS = 100
/** Used until the first job of an op has finished. */
const DEFAULT_DURATION_MS = 3000

/**
 * The queue's live face: percent, queue position and ETA of every unfinished job, published on
 * each board's ephemeral awareness channel (never in the doc, so progress never grows it).
 */
export class ProgressPublisher {
	private readonly fractions = new Map<string, number>()
	private readonly startedAt = new Map<string, number>()
	private readonly averageMs = new Map<string, number>()
	/** Jobs currently shown per board, so finished ones can be cleared. */
	private readonly shown = new Map<string, Set<string>>()
	private lastPublish = 0
	private pendingTimer: NodeJS.Timeout | null = null

	constructor(
		private readonly deps: {
			boards: BoardDocs
			queue: () => JobQueue
			opOf: (jobId: string) => string | undefined
			concurrency: number
		},
	) {}

	started(jobId: string): void {
		if (!this.startedAt.has(jobId)) this.startedAt.set(jobId, Date.now())
		this.fractions.set(jobId, 0)
	}

	progress(jobId: string, fraction: number): void {
		this.fractions.set(jobId, Math.max(this.fractions.get(jobId) ?? 0, Math.min(1, fraction)))
		const wait = this.lastPublish + PUBLISH_EVERY_MS - Date.now()
		if (wait <= 0) this.publish()
		else if (!this.pendingTimer) {
			this.pendingTimer = setTimeout(() => this.publish(), wait)
			this.pendingTimer.unref()
		}
	}

	/** How far a running job has got, 0–1 (0 when unknown). */
	fractionOf(jobId: string): number {
		return this.fractions.get(jobId) ?? 0
	}

	finished(jobId: string, op: string, succeeded: boolean): void {
		const started = this.startedAt.get(jobId)
		if (succeeded && started) {
			const ms = Date.now() - started
			const avg = this.averageMs.get(op)
			this.averageMs.set(op, avg === undefined ? ms : avg + EMA_WEIGHT * (ms - avg))
		}
		this.startedAt.delete(jobId)
		this.fractions.delete(jobId)
	}

	/** Recomputes every unfinished job's position and ETA and publishes what changed. */
	publish(): void {
		if (this.pendingTimer) clearTimeout(this.pendingTimer)
		this.pendingTimer = null
		this.lastPublish = Date.now()
		const { concurrency } = this.deps
		const next = new Map<string, Map<string, JobProgress>>()
		// Time until a worker slot frees up, per slot, to estimate when queued jobs start.
		const slots: number[] = []
		let position = 0
		for (const job of this.deps.queue().pending()) {
			const avg = this.averageMs.get(this.deps.opOf(job.jobId) ?? '') ?? DEFAULT_DURATION_MS
			let progress: JobProgress
			if (job.status === 'running') {
				const fraction = this.fractions.get(job.jobId) ?? 0
				const eta = Math.round(avg * (1 - fraction))
				slots.push(eta)
				progress = { status: 'running', progress: fraction, position: null, etaMs: eta }
			} else {
				position += 1
				while (slots.length < concurrency) slots.push(0)
				slots.sort((a, b) => a - b)
				const startsIn = slots[0]
				slots[0] = startsIn + avg
				progress = { status: 'queued', progress: 0, position, etaMs: Math.round(startsIn + avg) }
			}
			if (!next.has(job.boardId)) next.set(job.boardId, new Map())
			next.get(job.boardId)!.set(job.jobId, progress)
		}
		for (const [boardId, jobs] of next) {
			for (const [jobId, progress] of jobs)
				this.deps.boards.setJobProgress(boardId, jobId, progress)
		}
		for (const [boardId, jobIds] of this.shown) {
			for (const jobId of jobIds) {
				if (!next.get(boardId)?.has(jobId)) this.deps.boards.setJobProgress(boardId, jobId, null)
			}
		}
		this.shown.clear()
		for (const [boardId, jobs] of next) this.shown.set(boardId, new Set(jobs.keys()))
	}
}
