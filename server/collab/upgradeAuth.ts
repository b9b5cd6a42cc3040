import type { IncomingMessage } from 'node:http'
import { CLOSE_CODES, YJS_PATH_PREFIX } from '../../shared/collab'
import { BoardIdSchema } from '../../shared/ids'

/** `client` connections are served the board's published projection, never its doc. */
export type CollabRole = 'owner' | 'editor' | 'viewer' | 'client'

export interface CollabUser {
	id: string
	name: string
	color: string
}

export type RefusalReason = 'unauthenticated' | 'forbidden' | 'not_found'

export type AuthorizeResult =
	| {
			ok: true
			user: CollabUser
			role: CollabRole
			/** Set when the socket was opened with a share link, so revoking the link can close it. */
			shareLinkId?: string
	  }
	| { ok: false; reason: RefusalReason }

/**
 * Decides once per upgrade who is connecting and with what role. The role holds for the life of
 * the socket: to take access away, close the socket (`Collab.closeConnections`).
 */
export type Authorize = (req: IncomingMessage, boardId: string) => Promise<AuthorizeResult>

const REFUSAL_CODES: Record<RefusalReason, number> = {
	unauthenticated: CLOSE_CODES.unauthenticated,
	forbidden: CLOSE_CODES.forbidden,
	not_found: CLOSE_CODES.notFound,
}

/** The close code for a refused upgrade: 44xx, which y-websocket treats as final (no retry). */
export function refusalCloseCode(reason: RefusalReason): number {
	return REFUSAL_CODES[reason]
}

export type BoardPath = { kind: 'board'; boardId: string } | { kind: 'invalid' } | { kind: 'other' }

/**
 * Reads an upgrade URL. y-websocket appends the room name to the server URL and its params after
 * it: `/yjs/brd_abc123?share=…` names board `brd_abc123`. Paths outside `/yjs/` are `other` (left to
 * other upgrade handlers); a `/yjs/` path that does not name a valid board id is `invalid`.
 */
export function parseBoardPath(url: string | undefined): BoardPath {
	const path = (url ?? '').split('?')[0]
	if (!path.startsWith(YJS_PATH_PREFIX)) return { kind: 'other' }
	let boardId: string
	try {
		boardId = decodeURIComponent(path.slice(YJS_PATH_PREFIX.length))
	} catch {
		// Malformed %-escapes: not a board we could have.
		return { kind: 'invalid' }
	}
	return BoardIdSchema.safeParse(boardId).success ? { kind: 'board', boardId } : { kind: 'invalid' }
}
