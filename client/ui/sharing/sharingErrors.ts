import { isApiError } from '../../api/client'
import { describeError } from '../describeError'

export type SharingAction = 'invite' | 'member' | 'link' | 'revoke' | 'clientView' | 'load'

/** A sentence the owner can act on for a failed sharing call; branches on the error code only. */
export function describeSharingError(error: unknown, action: SharingAction): string {
	if (!isApiError(error)) return describeError(error)
	switch (error.code) {
		case 'not_found':
			if (action === 'invite')
				return 'No Arbor account uses that email yet. Ask them to sign up first, or send them a link instead.'
			if (action === 'revoke') return 'That link is already gone. Refresh the list.'
			if (action === 'member') return 'That person is no longer on the board. Refresh the list.'
			return 'That could not be found. Close the dialog and open it again.'
		case 'conflict':
			if (action === 'invite') return 'They’re already on this board. Change their role below.'
			return describeError(error)
		case 'forbidden':
			return 'Only the board’s owner can change who has access.'
		case 'validation_failed':
		case 'bad_request':
			if (action === 'invite')
				return 'That doesn’t look like an email address. Check it and try again.'
			return describeError(error)
		default:
			return describeError(error)
	}
}

/** What the landing page says when a link cannot be opened or joined. */
export function describeLinkError(error: unknown): { title: string; message: string } {
	if (isApiError(error) && error.code === 'not_found') {
		return {
			title: 'This link doesn’t work anymore',
			message: 'It may have been revoked or mistyped. Ask the board’s owner for a new one.',
		}
	}
	if (isApiError(error) && (error.code === 'forbidden' || error.status === 403)) {
		return {
			title: 'This link has expired',
			// The server's sentence names the expiry and says what to do.
			message: error.message || 'Ask the board’s owner for a new one.',
		}
	}
	return { title: 'This link could not be opened', message: describeError(error) }
}
