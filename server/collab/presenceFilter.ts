import { type Presence, presenceFigures } from '../../shared/collab'
import type { CollabUser } from './upgradeAuth'

// What the server relays of a person's awareness state. y-websocket sends the client's whole
// state, and the server used to relay it as it came: any keys, any size, any name. Now the server
// rebuilds every state from the fields it knows, so what peers receive is always a valid presence.

export type PresenceVerdict =
	| { ok: true; state: Presence | Record<string, never> }
	| { ok: false; reason: string }

export interface PresenceFilterOptions {
	/** The authenticated user behind the socket: presence shows their account's name and colour. */
	user: CollabUser
	/** Whether this person may present a review (owners and editors). */
	mayPresent: boolean
}

/**
 * The state to relay for an awareness state a socket sent, or why the socket must go.
 * - `{}` (y-protocols' initial state, sent before the app sets presence) stays `{}`;
 * - `kind` is the server's own state: nobody else may use it;
 * - `user.id` must be the authenticated user: taking someone else's presence is refused. The
 *   name and colour are the account's, whatever the client says;
 * - cursor, camera and screen are kept when valid and relayed as null when not: a figure no board
 *   can hold (Infinity, 1e308, a string) is a client's bug, not a reason to close its socket —
 *   closing it made every reload fail again on a board with a far-away record;
 * - `presenting: true` only from people who may present; everything else is dropped.
 */
export function admitPresence(
	state: Record<string, unknown>,
	options: PresenceFilterOptions,
): PresenceVerdict {
	const keys = Object.keys(state)
	if (keys.length === 0) return { ok: true, state: {} }
	if (keys.includes('kind'))
		return { ok: false, reason: 'awareness state uses the reserved key "kind"' }
	const user = state.user
	if (
		typeof user !== 'object' ||
		user === null ||
		typeof (user as { id?: unknown }).id !== 'string'
	)
		return { ok: false, reason: 'awareness state is not a valid presence' }
	if ((user as { id: string }).id !== options.user.id)
		return { ok: false, reason: 'awareness state claims another user' }
	const { id, name, color } = options.user
	return {
		ok: true,
		state: {
			user: { id, name, color },
			...presenceFigures(state),
			...(options.mayPresent && state.presenting === true ? { presenting: true } : {}),
		},
	}
}
