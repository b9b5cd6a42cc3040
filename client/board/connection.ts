import { CLOSE_CODES } from '../../shared/collab'

/** What the board header says about the live connection. */
export type ConnectionState =
	| { kind: 'connecting' }
	| { kind: 'online' }
	/** Dropped; y-websocket keeps retrying and local edits wait in the doc. */
	| { kind: 'offline' }
	/** The server closed the socket for good (4400–4499): no retry will help. */
	| { kind: 'refused'; code: number; message: string }
	/** The board was written by a newer Arbor; this tab must reload. */
	| { kind: 'outdated' }

/** The refusal a terminal close code stands for, in words the person can act on. */
export function connectionFromClose(event: { code: number; reason: string }): ConnectionState {
	switch (event.code) {
		case CLOSE_CODES.unauthenticated:
			return {
				kind: 'refused',
				code: event.code,
				message: 'Your session has ended. Sign in again to rejoin this board.',
			}
		case CLOSE_CODES.forbidden:
			return {
				kind: 'refused',
				code: event.code,
				message: 'You no longer have access to this board. Ask its owner to invite you again.',
			}
		case CLOSE_CODES.notFound:
			return {
				kind: 'refused',
				code: event.code,
				message: 'This board no longer exists.',
			}
		default:
			return {
				kind: 'refused',
				code: event.code,
				message: event.reason
					? `The server closed the connection: ${event.reason}`
					: 'The server closed the connection.',
			}
	}
}

export function connectionLabel(state: ConnectionState): string {
	switch (state.kind) {
		case 'connecting':
			return 'Connecting…'
		case 'online':
			return 'Live'
		case 'offline':
			return 'Offline — reconnecting'
		case 'refused':
			return 'Disconnected'
		case 'outdated':
			return 'Update available'
	}
}
