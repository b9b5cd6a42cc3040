import { EngineUnavailableError, httpError, networkError } from '../errors'

const ENGINE = 'AUTOMATIC1111'

export interface A1111HttpOptions {
	/** Base URL, e.g. http://gpu-box:7860 (the server started with `--api`). */
	url: string
	/** `user:pass` for `--api-auth`; sent as HTTP Basic. */
	auth?: string | null
}

export interface A1111Http {
	readonly url: string
	get<T>(path: string, signal?: AbortSignal): Promise<T>
	post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T>
}

/** The message A1111's api_middleware puts in a failed answer (`errors`, else `detail`). */
function messageOf(body: unknown, status: number): { message: string; error: string } {
	if (body && typeof body === 'object') {
		const b = body as Record<string, unknown>
		const error = typeof b.error === 'string' ? b.error : ''
		const detail =
			typeof b.detail === 'string'
				? b.detail
				: Array.isArray(b.detail)
					? JSON.stringify(b.detail)
					: ''
		const errors = typeof b.errors === 'string' ? b.errors : ''
		return { message: errors || detail || `HTTP ${status}`, error }
	}
	return { message: `HTTP ${status}`, error: '' }
}

/**
 * JSON over HTTP to one A1111/Forge server, errors classified: a CUDA out-of-memory 500 is
 * `out_of_memory` (retryable: another job may have held the GPU), other 5xx and network failures
 * are `unavailable`, 4xx (bad auth, unknown sampler, invalid body) are refusals.
 */
export function createA1111Http(options: A1111HttpOptions): A1111Http {
	const url = options.url.replace(/\/+$/, '')
	const headers: Record<string, string> = { 'content-type': 'application/json' }
	if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`

	async function call<T>(method: string, path: string, body: unknown, signal?: AbortSignal) {
		let res: Response
		try {
			res = await fetch(`${url}${path}`, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				signal,
			})
		} catch (err) {
			throw networkError(ENGINE, err)
		}
		const text = await res.text().catch((err: unknown) => {
			throw networkError(ENGINE, err)
		})
		let parsed: unknown = null
		try {
			parsed = text ? JSON.parse(text) : null
		} catch {
			// Not JSON (a proxy's error page): the status decides, the text is the message.
			parsed = { detail: text.slice(0, 300) }
		}
		if (res.ok) return parsed as T
		const { message, error } = messageOf(parsed, res.status)
		if (res.status >= 500 && (error === 'OutOfMemoryError' || /out of memory/i.test(message)))
			throw new EngineUnavailableError('out_of_memory', `${ENGINE}: ${message}`, res.status)
		throw httpError(ENGINE, res.status, message)
	}

	return {
		url,
		get: (path, signal) => call('GET', path, undefined, signal),
		post: (path, body, signal) => call('POST', path, body, signal),
	}
}
