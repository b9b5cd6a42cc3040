/**
 * A job that can never succeed (bad input, a missing parent, a policy refusal): fail it at once,
 * without retries.
 */
export class UnrecoverableJobError extends Error {
	constructor(message: string) {
		super(message)
		this.name = 'UnrecoverableJobError'
	}
}

export function isAbortError(err: unknown): boolean {
	return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')
}
