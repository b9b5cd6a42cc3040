/**
 * A transport that runs jobs: the embedded SQLite queue, or BullMQ on Redis. Both call the same
 * `JobLifecycle`, so what a job does does not depend on how it travelled.
 */
export interface JobQueue {
	/** Recover interrupted work and begin taking jobs. */
	start(): Promise<void>
	/** A job was recorded as queued; make it run. */
	enqueue(jobId: string): void
	/**
	 * Take the job out of line, or abort it wherever it runs (in-process, or on a worker told over
	 * Redis). Its record was already marked cancelled.
	 */
	cancel(jobId: string): void
	/** Unfinished jobs in the order they will run: running first, then queued. */
	pending(): { jobId: string; boardId: string; status: 'queued' | 'running' }[]
	/** Stop taking jobs; hand running ones back to the queue (queue mode: let go of Redis). */
	stop(): Promise<void>
}

export interface JobRunOptions {
	signal: AbortSignal
	onProgress: (fraction: number) => void
}

/** What a transport calls as a job moves; implemented by the server's job commands. */
export interface JobLifecycle {
	/** Runs the job to completion and records its results; throws if it failed. */
	process(jobId: string, options: JobRunOptions): Promise<void>
	/** The job will never succeed: record the failure (and release what it reserved). */
	fail(jobId: string, reason: string): void
	/** Any state change worth showing (started, requeued, finished). */
	changed(jobId: string): void
	progress(jobId: string, fraction: number): void
}
