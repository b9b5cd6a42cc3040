import type { JobProgress } from '../../shared/collab'
import type { BoardDocs } from '../collab/boardDocs'
import type { JobQueue } from './jobQueue'

/** A new duration counts this much in the moving average of an op's run time. */
const EMA_WEIGHT = 0.3
/** Progress of one job is published at most this often. */
const PUBLISH_EVERY_MS = 100
/**
 * A state change (queued, started, finished) goes out at least this long after the doc write it
 * follows: the durable change (the node) reaches every client first, and a burst of changes
 * (many jobs finishing together) becomes one awareness update instead of one per job.
 */
const STATE_DELAY_MS = 50
/** Used until the first job of an op has finished, for ops without a prior of their own. */
const DEFAULT_DURATION_MS = 3000
/**
 * What a first run of an op is expected to take, before any has finished on this server. An
 * upscale (ESRGAN on CPU: ~9 s at 2×, ~12 s at 4×; a GPU is faster) is not a grid op's few seconds:
 * with the grid's prior, the first upscale said "~3 s" for a 14 s job.
 */
const OP_PRIOR_MS: Readonly<Record<string, number>> = { upscale: 12_000 }
/**
 * Without history, a running job's own pace is the better guide once it has reported this much:
 * the time so far, scaled by what is left.
 */
const EXTRAPOLATE_FROM_FRACTION = 0.1

/**
 * The queue's live face: percent, queue position and ETA of every unfinished job, published on
 * each board's ephemeral awareness channel (never in the doc, so progress never grows it).
 */
export class ProgressPublisher {
	private readonly fractions = new Map<string, number>()
	private readonly startedAt = new Map<string, number>()
	private readonly averageMs = new Map<string, number>()
	/** The number of each running job's latest live preview (see PreviewStore). */
	private readonly previews = new Map<string, number>()
	/** Jobs currently shown per board, so finished ones can be cleared. */
	private readonly shown = new Map<string, Set<string>>()
	/** What the last publish computed, per board (the queue panel reads it). */
	private computed = new Map<string, Map<string, JobProgress>>()
	private lastPublish = 0
	private pendingTimer: NodeJS.Timeout | null = null
	private closed = false

	constructor(
		private readonly deps: {
			boards: BoardDocs
			queue: () => JobQueue
			opOf: (jobId: string) => string | undefined
			/** Jobs that run at once: fixed when embedded, the live workers' slots in queue mode. */
			concurrency: number | (() => number)
			/** The model a queued job asks for when nothing online serves it, else null. */
			unservedModel?: (jobId: string) => string | null
			/** A job this process saw start has finished (metrics). */
			onFinished?: (op: string, ms: number, succeeded: boolean) => void
		},
	) {}

	started(jobId: string): void {
		if (!this.startedAt.has(jobId)) this.startedAt.set(jobId, Date.now())
		this.fractions.set(jobId, 0)
	}

	progress(jobId: string, fraction: number): void {
		this.fractions.set(jobId, Math.max(this.fractions.get(jobId) ?? 0, Math.min(1, fraction)))
		this.schedule(0)
	}

	/** A running job has a new live preview, numbered `n`: tell every canvas on the next publish. */
	preview(jobId: string, n: number): void {
		if (!this.fractions.has(jobId)) return
		this.previews.set(jobId, n)
		this.schedule(0)
	}

	/** How far a running job has got, 0–1 (0 when unknown). */
	fractionOf(jobId: string): number {
		return this.fractions.get(jobId) ?? 0
	}

	finished(jobId: string, op: string, succeeded: boolean): void {
		const started = this.startedAt.get(jobId)
		if (started) this.deps.onFinished?.(op, Date.now() - started, succeeded)
		if (succeeded && started) {
			const ms = Date.now() - started
			const avg = this.averageMs.get(op)
			this.averageMs.set(op, avg === undefined ? ms : avg + EMA_WEIGHT * (ms - avg))
		}
		this.startedAt.delete(jobId)
		this.fractions.delete(jobId)
		this.previews.delete(jobId)
	}

	/** Position, ETA and percent of the board's unfinished jobs, as last published. */
	current(boardId: string): ReadonlyMap<string, JobProgress> {
		return this.computed.get(boardId) ?? new Map()
	}

	/** Something changed (a job queued, started, finished): publish soon (see STATE_DELAY_MS). */
	publish(): void {
		this.schedule(STATE_DELAY_MS)
	}

	/** Stops publishing (the server is closing). */
	close(): void {
		this.closed = true
		if (this.pendingTimer) clearTimeout(this.pendingTimer)
		this.pendingTimer = null
	}

	private schedule(minDelayMs: number): void {
		if (this.closed) return
		const wait = Math.max(minDelayMs, this.lastPublish + PUBLISH_EVERY_MS - Date.now())
		if (wait <= 0) {
			this.publishNow()
			return
		}
		if (this.pendingTimer) return
		this.pendingTimer = setTimeout(() => this.publishNow(), wait)
		this.pendingTimer.unref()
	}

	/** Recomputes every unfinished job's position and ETA and publishes what changed. */
	private publishNow(): void {
		if (this.pendingTimer) clearTimeout(this.pendingTimer)
		this.pendingTimer = null
		this.lastPublish = Date.now()
		const concurrency =
			typeof this.deps.concurrency === 'function' ? this.deps.concurrency() : this.deps.concurrency
		const next = new Map<string, Map<string, JobProgress>>()
		// Time until a worker slot frees up, per slot, to estimate when queued jobs start.
		const slots: number[] = []
		let position = 0
		for (const job of this.deps.queue().pending()) {
			const op = this.deps.opOf(job.jobId) ?? ''
			const learned = this.averageMs.get(op)
			const avg = learned ?? OP_PRIOR_MS[op] ?? DEFAULT_DURATION_MS
			let progress: JobProgress
			if (job.status === 'running') {
				const fraction = this.fractions.get(job.jobId) ?? 0
				const started = this.startedAt.get(job.jobId)
				const eta =
					learned === undefined && started !== undefined && fraction >= EXTRAPOLATE_FROM_FRACTION
						? Math.round(((this.lastPublish - started) * (1 - fraction)) / fraction)
						: Math.round(avg * (1 - fraction))
				slots.push(eta)
				const preview = this.previews.get(job.jobId)
				progress = {
					status: 'running',
					progress: fraction,
					position: null,
					etaMs: eta,
					...(preview === undefined ? {} : { preview }),
				}
			} else {
				position += 1
				while (slots.length < concurrency) slots.push(0)
				slots.sort((a, b) => a - b)
				const startsIn = slots[0]
				slots[0] = startsIn + avg
				const unservedModel = this.deps.unservedModel?.(job.jobId)
				progress = {
					status: 'queued',
					progress: 0,
					position,
					etaMs: Math.round(startsIn + avg),
					...(unservedModel ? { unservedModel } : {}),
				}
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
		this.computed = next
		this.shown.clear()
		for (const [boardId, jobs] of next) this.shown.set(boardId, new Set(jobs.keys()))
	}
}
