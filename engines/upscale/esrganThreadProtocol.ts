import { UnrecoverableJobError } from '../errors'
import type { EsrganScale } from './esrganModel'

/**
 * The messages between the server (or queue worker) thread and the ESRGAN thread. Both ends are
 * this module's own code in the same process, so they are typed rather than parsed.
 */

/** One tile to run through the network; `input`'s buffer is transferred, not copied. */
export interface EsrganThreadRequest {
	id: number
	scale: EsrganScale
	width: number
	height: number
	/** RGB floats 0–255, height × width × 3. */
	input: Float32Array<ArrayBuffer>
}

/** An error as it crosses the thread boundary: structured clone keeps only built-in classes. */
export interface SerializedError {
	name: string
	message: string
	stack?: string
}

/** The network's output for request `id` (buffer transferred), or why it failed. */
export type EsrganThreadReply =
	| { id: number; output: Float32Array<ArrayBuffer> }
	| { id: number; error: SerializedError }

export function serializeError(err: unknown): SerializedError {
	if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
	return { name: 'Error', message: String(err) }
}

/** Classes rebuilt by name, so callers' `instanceof` checks (retry or not) hold across threads. */
const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
	UnrecoverableJobError,
	TypeError,
	RangeError,
	SyntaxError,
	ReferenceError,
}

/**
 * The thread's error as the caller would have seen it inline: same class (for the ones above,
 * plain `Error` otherwise), same name and message, and the thread's stack.
 */
export function reviveError(serialized: SerializedError): Error {
	const ErrorClass = ERROR_CLASSES[serialized.name] ?? Error
	const err = new ErrorClass(serialized.message)
	err.name = serialized.name
	if (serialized.stack) err.stack = serialized.stack
	return err
}
