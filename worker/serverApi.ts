import { setTimeout as sleep } from 'node:timers/promises'
import type { z } from 'zod'
import { UnrecoverableJobError } from '../engines/errors'
import { ErrorBodySchema } from '../shared/errors'
import {
	INTERNAL_PATH,
	type JobCompleteBody,
	JobCompleteReplySchema,
	type JobStartReply,
	JobStartReplySchema,
	OutputUploadReplySchema,
	ProgressReplySchema,
	WORKER_HEADERS,
	type WorkerHeartbeat,
	type WorkerIdentity,
} from '../shared/internalApi'

/** The server refused a request (4xx): retrying the same request cannot help. */
export class ServerRefusedError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(message)
		this.name = 'ServerRefusedError'
	}
}

export interface ServerApiOptions {
	/** `ARBOR_SERVER_URL`, e.g. `http://arbor:8787`. */
	url: string
	token: string
	worker: WorkerIdentity
	/**
	 * How long a call keeps retrying while the server is unreachable or answers 5xx (a restart,
	 * a deploy). Results are not lost to a server restart shorter than this. Default 60 s.
	 */
	retryForMs?: number
}

interface CallOptions {
	json?: unknown
	bytes?: Uint8Array
	/** Of `bytes`. Default `image/png`. */
	contentType?: string
	signal?: AbortSignal
	/** Retry network errors and 5xx until `retryForMs` (default true). */
	retry?: boolean
	timeoutMs?: number
}

/**
 * The worker's side of the internal API. Workers never open the database: they take jobs, read
 * inputs and hand in outputs here, authenticated by `ARBOR_WORKER_TOKEN`.
 */
export function createServerApi(options: ServerApiOptions) {
	const base = options.url.replace(/\/+$/, '') + INTERNAL_PATH
	const retryForMs = options.retryForMs ?? 60_000
	const headers = {
		authorization: `Bearer ${options.token}`,
		[WORKER_HEADERS.id]: options.worker.id,
		[WORKER_HEADERS.host]: options.worker.host,
	}

	async function call(method: string, path: string, call: CallOptions = {}): Promise<Response> {
		const deadline = Date.now() + retryForMs
		let delay = 100
		for (;;) {
			call.signal?.throwIfAborted()
			let res: Response | undefined
			let failure: unknown
			try {
				const timeout = AbortSignal.timeout(call.timeoutMs ?? 30_000)
				res = await fetch(base + path, {
					method,
					headers: {
						...headers,
						...(call.json !== undefined ? { 'content-type': 'application/json' } : {}),
						...(call.bytes ? { 'content-type': call.contentType ?? 'image/png' } : {}),
					},
					body:
						call.json !== undefined
							? JSON.stringify(call.json)
							: // Generated PNGs live in plain (not shared) ArrayBuffers.
								(call.bytes as Uint8Array<ArrayBuffer> | undefined),
					signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout,
				})
			} catch (err) {
				failure = err
			}
			if (res && res.status < 500) {
				if (res.ok) return res
				const parsed = ErrorBodySchema.safeParse(await res.json().catch(() => null))
				const { code, message } = parsed.success
					? parsed.data.error
					: { code: 'http_error', message: `HTTP ${res.status}` }
				throw new ServerRefusedError(res.status, code, message)
			}
			if (call.retry === false || Date.now() + delay > deadline)
				throw failure ?? new Error(`Server answered ${res?.status} to ${method} ${path}`)
			await sleep(delay, undefined, { signal: call.signal })
			delay = Math.min(delay * 2, 2000)
		}
	}

	const json = async <T extends z.ZodType>(schema: T, res: Response) =>
		schema.parse(await res.json()) as z.output<T>

	return {
		async heartbeat(beat: WorkerHeartbeat): Promise<void> {
			await call('POST', '/workers/heartbeat', { json: beat, retry: false, timeoutMs: 5000 })
		},

		/** The job's payload, or null when the server no longer wants it run (409). */
		async start(jobId: string, signal: AbortSignal): Promise<JobStartReply | null> {
			try {
				return await json(
					JobStartReplySchema,
					await call('POST', `/jobs/${jobId}/start`, { signal }),
				)
			} catch (err) {
				if (err instanceof ServerRefusedError && err.status === 409) return null
				throw err
			}
		},

		async image(jobId: string, imageId: string, signal: AbortSignal): Promise<Uint8Array> {
			try {
				const res = await call('GET', `/jobs/${jobId}/images/${imageId}`, { signal })
				return new Uint8Array(await res.arrayBuffer())
			} catch (err) {
				if (err instanceof ServerRefusedError && err.status === 404)
					throw new UnrecoverableJobError(`Input image ${imageId} no longer exists.`)
				throw err
			}
		},

		/** Best effort, never retried: the next report carries newer news anyway. */
		async progress(jobId: string, fraction: number): Promise<{ cancelled: boolean }> {
			const res = await call('POST', `/jobs/${jobId}/progress`, {
				json: { fraction },
				retry: false,
				timeoutMs: 5000,
			})
			return json(ProgressReplySchema, res)
		},

		/** A live preview (≤ 256 px WebP); best effort, never retried, like progress. */
		async preview(jobId: string, bytes: Uint8Array): Promise<{ cancelled: boolean }> {
			const res = await call('PUT', `/jobs/${jobId}/preview`, {
				bytes,
				contentType: 'image/webp',
				retry: false,
				timeoutMs: 5000,
			})
			return json(ProgressReplySchema, res)
		},

		async upload(jobId: string, index: number, png: Uint8Array, signal: AbortSignal) {
			const res = await call('PUT', `/jobs/${jobId}/outputs/${index}`, { bytes: png, signal })
			return (await json(OutputUploadReplySchema, res)).sha256
		},

		async complete(jobId: string, body: JobCompleteBody, signal: AbortSignal) {
			const res = await call('POST', `/jobs/${jobId}/complete`, { json: body, signal })
			return (await json(JobCompleteReplySchema, res)).recorded
		},

		async fail(jobId: string, reason: string, final: boolean): Promise<void> {
			await call('POST', `/jobs/${jobId}/fail`, { json: { reason, final } })
		},

		async handBack(jobId: string): Promise<void> {
			await call('POST', `/jobs/${jobId}/hand-back`, { retry: false, timeoutMs: 5000 })
		},
	}
}

export type ServerApi = ReturnType<typeof createServerApi>
