import { Worker } from 'node:worker_threads'
import type { EsrganScale } from './esrganModel'
import {
	type EsrganThreadReply,
	type EsrganThreadRequest,
	reviveError,
} from './esrganThreadProtocol'

/**
 * The ESRGAN thread died (an uncaught error, a wasm abort, out of memory, a kill) while tiles were
 * waiting on it. A plain Error on purpose: the job is retried like any failure that may be
 * transient, and the retry gets a fresh thread; a job that keeps killing it runs out of attempts.
 */
export class EsrganThreadCrashedError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options)
		this.name = 'EsrganThreadCrashedError'
	}
}

export interface EsrganPredictOptions {
	scale: EsrganScale
	/** RGB floats 0–255, height × width × 3. Transferred to the thread: unusable afterwards. */
	input: Float32Array<ArrayBuffer>
	width: number
	height: number
	/** Aborting stops the wait at once; the thread finishes the tile and its result is dropped. */
	signal: AbortSignal
}

interface Pending {
	resolve: (output: Float32Array<ArrayBuffer>) => void
	reject: (err: unknown) => void
}

const BOOT = new URL('./esrganThread.boot.mjs', import.meta.url)

/**
 * One worker thread that runs ESRGAN tiles, FIFO, for every job of the process (the model is
 * loaded once inside it). Use `getEsrganThread()` rather than constructing one.
 */
export class EsrganThread {
	/** The thread itself: its `threadId` names it in diagnostics; tests kill it to play a crash. */
	readonly worker: Worker
	private readonly pending = new Map<number, Pending>()
	private nextId = 1
	/** Set when the thread exits: why tiles sent to it fail from then on. */
	private exitReason: EsrganThreadCrashedError | null = null
	private stopping = false
	/** The uncaught error the thread died of, reported with the exit. */
	private failure: Error | null = null
	private readonly whenExited: Promise<void>

	constructor(onExit: (thread: EsrganThread) => void) {
		this.worker = new Worker(BOOT, { name: 'arbor-esrgan' })
		// Idle, the thread must not keep a finished process (a script, a test run) alive: it is
		// ref'd only while tiles are in flight.
		this.worker.unref()
		this.worker.on('message', (reply: EsrganThreadReply) => this.settle(reply))
		this.worker.on('error', (err) => {
			this.failure = err
		})
		this.whenExited = new Promise((resolve) => {
			this.worker.on('exit', (code) => {
				const reason = this.stopping
					? new EsrganThreadCrashedError('The upscale thread was stopped.')
					: new EsrganThreadCrashedError(
							`The upscale thread exited unexpectedly (code ${code}${this.failure ? `: ${this.failure.message}` : ''}); the next upscale starts a new one.`,
							{ cause: this.failure ?? undefined },
						)
				this.exitReason = reason
				for (const entry of this.pending.values()) entry.reject(reason)
				this.pending.clear()
				onExit(this)
				resolve()
			})
		})
	}

	/** False once the thread has exited (crashed or stopped): it takes no more tiles. */
	isAlive(): boolean {
		return !this.exitReason
	}

	/** Runs one tile through the network of `scale` in the thread. */
	predict(options: EsrganPredictOptions): Promise<Float32Array<ArrayBuffer>> {
		const { signal } = options
		signal.throwIfAborted()
		if (this.exitReason) throw this.exitReason
		const id = this.nextId++
		return new Promise((resolve, reject) => {
			const onAbort = () => {
				this.forget(id)
				reject(signal.reason)
			}
			this.pending.set(id, {
				resolve: (output) => {
					signal.removeEventListener('abort', onAbort)
					resolve(output)
				},
				reject: (err) => {
					signal.removeEventListener('abort', onAbort)
					reject(err)
				},
			})
			signal.addEventListener('abort', onAbort, { once: true })
			if (this.pending.size === 1) this.worker.ref()
			const request: EsrganThreadRequest = {
				id,
				scale: options.scale,
				width: options.width,
				height: options.height,
				input: options.input,
			}
			this.worker.postMessage(request, [options.input.buffer])
		})
	}

	/** Stops the thread; tiles still waiting fail with EsrganThreadCrashedError. */
	async stop(): Promise<void> {
		this.stopping = true
		await this.worker.terminate()
		await this.whenExited
	}

	private settle(reply: EsrganThreadReply): void {
		const entry = this.pending.get(reply.id)
		// Gone: its job was aborted while the thread worked on it; the result is not wanted.
		if (!entry) return
		this.forget(reply.id)
		if ('error' in reply) entry.reject(reviveError(reply.error))
		else entry.resolve(reply.output)
	}

	private forget(id: number): void {
		this.pending.delete(id)
		if (this.pending.size === 0 && !this.exitReason) this.worker.unref()
	}
}

let current: EsrganThread | null = null

/**
 * The process's ESRGAN thread, started on first use; after a crash the next call starts a new one.
 * Starting costs ~1 s (tsx, then tfjs and the weights on the first tile), off the main thread.
 */
export function getEsrganThread(): EsrganThread {
	if (!current?.isAlive()) {
		current = new EsrganThread((thread) => {
			if (current === thread) current = null
		})
	}
	return current
}

/** Stops the thread if one runs (graceful shutdown, benchmarks); a later upscale starts anew. */
export async function stopEsrganThread(): Promise<void> {
	const thread = current
	current = null
	await thread?.stop()
}
