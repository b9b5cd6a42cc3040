import { isApiError } from '../api/client'

/** What the user was doing, so the same code can read naturally in each place. */
export type ErrorContext = 'signin' | 'signup' | 'board' | 'job' | 'cancel' | 'image' | 'generic'

/**
 * A sentence a person can act on for any error thrown by the API client. Branches on the error's
 * `code` (stable, from `shared/errors.ts`); the server's message is only shown where it carries
 * the specifics (validation details, credit counts).
 */
export function describeError(error: unknown, context: ErrorContext = 'generic'): string {
	if (!isApiError(error)) {
		return error instanceof Error ? error.message : 'Something went wrong.'
	}
	switch (error.code) {
		case 'network':
			return 'Arbor’s server can’t be reached. Check your connection and try again.'
		case 'unauthenticated':
			return context === 'signin'
				? 'That email and password don’t match an account.'
				: 'Your session has ended. Sign in again to continue.'
		case 'forbidden':
			if (context === 'job') return 'You can view this board but not generate on it.'
			// Who may cancel is the server's rule; its sentence says who can.
			if (context === 'cancel' && error.message) return capitalize(error.message)
			return 'You don’t have access to this. Ask the board’s owner to invite you.'
		case 'not_found':
			if (context === 'board') return 'This board doesn’t exist, or it was deleted.'
			if (context === 'image') return 'This image is no longer available.'
			return 'That could not be found.'
		case 'conflict':
			return context === 'signup'
				? 'This email can’t be used to sign up. If it’s yours, sign in instead.'
				: `That clashes with the current state: ${error.message}`
		// Limits: the server's sentence carries the numbers (price, what is left, the limit).
		case 'insufficient_credits':
			return `Not enough credits. ${error.message}`
		case 'board_budget_exceeded':
			return `This board’s budget is spent. ${error.message}`
		case 'too_many_jobs':
			return `Your queue is full. ${error.message}`
		case 'rate_limited':
			return error.message
				? `One moment: ${lowerFirst(error.message)}`
				: 'You’re going a little fast. Wait a moment and try again.'
		case 'bad_request':
		case 'validation_failed':
		case 'unprocessable':
			return capitalize(error.message) || 'Please check what you entered.'
		case 'internal':
			return 'The server hit an error. Try again in a moment.'
		default:
			return capitalize(error.message) || `Request failed (${error.status}).`
	}
}

function lowerFirst(text: string): string {
	return text.charAt(0).toLowerCase() + text.slice(1)
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1)
}
