import { z } from 'zod'

/**
 * Stable error codes. The client branches on `code`, never on `message`.
 * The HTTP status for each code is fixed here so server and client agree.
 */
export const ERROR_STATUS = {
	bad_request: 400,
	validation_failed: 400,
	unauthenticated: 401,
	insufficient_credits: 402,
	board_budget_exceeded: 402,
	forbidden: 403,
	not_found: 404,
	conflict: 409,
	payload_too_large: 413,
	unsupported_media_type: 415,
	unprocessable: 422,
	/** The engine that would run the job cannot run this op (see `GET /api/engines`). */
	op_unsupported: 422,
	rate_limited: 429,
	too_many_jobs: 429,
	internal: 500,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export const ErrorBodySchema = z.object({
	error: z.object({
		code: z.string(),
		message: z.string(),
	}),
})
export type ErrorBody = z.infer<typeof ErrorBodySchema>
