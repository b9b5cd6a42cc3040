import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import type { Logger } from './logger'

/** A zod failure, from `zod` or from a validator built on `zod/v4/core`. */
type ZodFailure = z.core.$ZodError

import { ERROR_STATUS, type ErrorCode } from '../shared/errors'

/** An error meant for the client: a stable code, a status, and a message a person can act on. */
export class AppError extends Error {
	readonly status: ContentfulStatusCode
	constructor(
		readonly code: ErrorCode,
		message: string,
		/** Sent as `Retry-After` (seconds, rounded up) when set: how long to wait before trying again. */
		readonly retryAfterMs?: number,
	) {
		super(message)
		this.name = 'AppError'
		this.status = ERROR_STATUS[code] as ContentfulStatusCode
	}
}

/** A 429 that says when to come back. */
export function TooManyAttempts(retryAfterMs: number, what: string) {
	const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
	return new AppError(
		'rate_limited',
		`${what} Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
		retryAfterMs,
	)
}

export const BadRequest = (message: string) => new AppError('bad_request', message)
export const Unauthenticated = (message = 'Sign in to continue.') =>
	new AppError('unauthenticated', message)
export const Forbidden = (message = 'You do not have access to this.') =>
	new AppError('forbidden', message)
export const NotFound = (what: string) => new AppError('not_found', `${what} was not found.`)
export const Conflict = (message: string) => new AppError('conflict', message)
export const Unprocessable = (message: string) => new AppError('unprocessable', message)

/** Turns a zod failure into one readable line: `params.strength: Invalid option …`. */
export function describeZodError(error: ZodFailure): string {
	return error.issues
		.slice(0, 5)
		.map((issue) =>
			issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
		)
		.join('; ')
}

export function ValidationFailed(error: ZodFailure) {
	return new AppError('validation_failed', describeZodError(error))
}

export function errorBody(code: string, message: string) {
	return { error: { code, message } }
}

/**
 * The one place errors become responses: known errors keep their code, the rest are logged 500s.
 * Bad input is rejected at the edge as an `AppError` (`validate`); a `ZodError` reaching here was
 * thrown by our own code parsing our own data, which is a bug, not the client's fault.
 */
export function renderError(err: Error, c: Context, logger: Logger) {
	if (err instanceof AppError) {
		if (err.retryAfterMs !== undefined)
			c.header('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))))
		return c.json(errorBody(err.code, err.message), err.status)
	}
	logger.error({ err, method: c.req.method, path: c.req.path }, 'unhandled error')
	return c.json(errorBody('internal', 'Something went wrong on our side.'), 500)
}
