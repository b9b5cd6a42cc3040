/**
 * A job that can never succeed (bad input, a missing parent, a policy refusal): fail it at once,
 * without retries, and refund it.
 */
export class UnrecoverableJobError extends Error {
	constructor(message: string) {
		super(message)
		this.name = 'UnrecoverableJobError'
	}
}

/**
 * Why an engine refused a job for good. `validation`: the engine rejected the request (ComfyUI's
 * `node_errors`, a missing model file, a size it cannot paint); `policy`: a content-policy
 * refusal (retrying would bill again); `rejected`: any other 4xx.
 */
export type EngineRefusalKind = 'validation' | 'policy' | 'rejected'

/** Unrecoverable: failed at once, refunded, its message (the engine's own) shown on the node. */
export class EngineRefusedError extends UnrecoverableJobError {
	constructor(
		readonly kind: EngineRefusalKind,
		message: string,
		readonly status: number | null = null,
	) {
		super(message)
		this.name = 'EngineRefusedError'
	}
}

/**
 * Why an engine could not finish this time. `unavailable`: connection refused or reset, a 5xx;
 * `timeout`: no answer within `ARBOR_ENGINE_TIMEOUT_MS`; `out_of_memory`: the GPU ran out
 * (another job may have held it). Retried with backoff by both transports, then failed and
 * refunded.
 */
export type EngineFailureKind = 'unavailable' | 'timeout' | 'out_of_memory'

export class EngineUnavailableError extends Error {
	constructor(
		readonly kind: EngineFailureKind,
		message: string,
		readonly status: number | null = null,
	) {
		super(message)
		this.name = 'EngineUnavailableError'
	}
}

/** Whether a job's failure is final (no retry): bad input, an engine's refusal. */
export function isUnrecoverable(err: unknown): boolean {
	return err instanceof UnrecoverableJobError
}

export function isAbortError(err: unknown): boolean {
	return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')
}

/**
 * Classifies an HTTP answer from an engine: 4xx are refusals (policy when the engine says so),
 * 5xx and anything else are worth another try.
 *
 * @example throw httpError('ComfyUI', 400, 'Prompt outputs failed validation')
 */
export function httpError(
	engine: string,
	status: number,
	message: string,
	options: { policy?: boolean } = {},
): EngineRefusedError | EngineUnavailableError {
	const text = `${engine}: ${message}`
	if (status >= 400 && status < 500) {
		const kind = options.policy
			? 'policy'
			: status === 400 || status === 422
				? 'validation'
				: 'rejected'
		return new EngineRefusedError(kind, text, status)
	}
	return new EngineUnavailableError('unavailable', text, status)
}

/**
 * A network failure talking to an engine (fetch's `TypeError: fetch failed` with ECONNREFUSED,
 * a reset socket) as a retryable error; an abort passes through untouched.
 */
export function networkError(engine: string, err: unknown): unknown {
	if (
		isAbortError(err) ||
		err instanceof EngineRefusedError ||
		err instanceof EngineUnavailableError
	)
		return err
	const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : ''
	const message = err instanceof Error ? err.message : String(err)
	return new EngineUnavailableError('unavailable', `${engine} is unreachable (${message}${cause})`)
}
