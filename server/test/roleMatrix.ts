import { expect } from 'vitest'
import * as Y from 'yjs'
import { MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from '../collab/messages'
import { recordUpdate, syncFrame } from '../collab/testing'
import type { RunningServer } from '../server'
import {
	addMember,
	api,
	buildBoard,
	buildUser,
	TEST_PASSWORD,
	type TestUser,
	waitFor,
} from './factories'
import { buildGuest, buildShareLink, connectRawWith, markerRecord } from './sharing'

// The role matrix's machinery: every kind of person who can knock on a board, and what each
// should get. Rows (one per route) live in roleMatrix.test.ts.

/** Everyone the matrix asks: members, guests of each link role, a stranger and nobody. */
export const ACTORS = [
	'owner',
	'editor',
	'viewer',
	'guestViewer',
	'guestEditor',
	/** A guest of a client link: sees only the published view. */
	'client',
	/** Guests whose link was revoked, or has expired, since they joined. */
	'revokedGuest',
	'expiredGuest',
	'nonMember',
	'anonymous',
] as const
export type Actor = (typeof ACTORS)[number]

/**
 * What a request should get: `ok` 2xx, `forbidden` 403, `hidden` 404 (the thing does not exist
 * for this actor), `unauthenticated` 401, or `pending` — either 2xx or 403, for a route whose
 * opening to an actor is in flight (say so in a comment on the row).
 */
export type Outcome =
	| 'ok'
	| 'forbidden'
	| 'hidden'
	| 'unauthenticated'
	| 'pending'
	/** Past the access check, refused for what was asked (422). */
	| 'unprocessable'

export type Expectations = Record<Actor, Outcome>

/**
 * The usual expectations of a `boardAccess(min)` route: ok from `min` up (guests rank as their
 * link role), forbidden below, 401 without a session. `overrides` pin the exceptions.
 */
export function allowFrom(
	min: 'owner' | 'editor' | 'viewer',
	overrides: Partial<Expectations> = {},
): Expectations {
	const rank = { owner: 3, editor: 2, viewer: 1, none: 0 }
	const roleOf: Record<Actor, keyof typeof rank> = {
		owner: 'owner',
		editor: 'editor',
		viewer: 'viewer',
		guestViewer: 'viewer',
		guestEditor: 'editor',
		client: 'none',
		revokedGuest: 'none',
		expiredGuest: 'none',
		nonMember: 'none',
		anonymous: 'none',
	}
	const base = Object.fromEntries(
		ACTORS.map((a) => [a, rank[roleOf[a]] >= rank[min] ? 'ok' : 'forbidden']),
	) as Expectations
	return { ...base, ...SIGNED_OUT, ...overrides }
}

/** A dead guest's session ended with their link: they are as signed out as nobody. */
const SIGNED_OUT = {
	revokedGuest: 'unauthenticated',
	expiredGuest: 'unauthenticated',
	anonymous: 'unauthenticated',
} as const satisfies Partial<Expectations>

const GUESTS = ['guestViewer', 'guestEditor', 'client'] as const

/**
 * A route outside any board, for people with an account: guests (whose access is their link's
 * board and nothing else) are refused; `overrides` pin the exceptions.
 */
export function accountsOnly(overrides: Partial<Expectations> = {}): Expectations {
	const base = Object.fromEntries(ACTORS.map((a) => [a, 'ok'])) as Expectations
	for (const g of GUESTS) base[g] = 'forbidden'
	return { ...base, ...SIGNED_OUT, ...overrides }
}

/** Instance administration: the matrix's owner is the instance's first user, hence its admin. */
export function adminOnly(): Expectations {
	return accountsOnly({ editor: 'forbidden', viewer: 'forbidden', nonMember: 'forbidden' })
}

/** Any live session, guests included. */
export function signedIn(): Expectations {
	const base = Object.fromEntries(ACTORS.map((a) => [a, 'ok'])) as Expectations
	return { ...base, ...SIGNED_OUT }
}

/** Open to anyone, signed in or not. */
export function everyone(): Expectations {
	return Object.fromEntries(ACTORS.map((a) => [a, 'ok'])) as Expectations
}

export function expectOutcome(status: number, outcome: Outcome, what: string) {
	const ok = status >= 200 && status < 300
	const matches = {
		ok,
		forbidden: status === 403,
		hidden: status === 404,
		unauthenticated: status === 401,
		pending: ok || status === 403,
		unprocessable: status === 422,
	}[outcome]
	expect(matches, `${what}: got ${status}, expected ${outcome}`).toBe(true)
}

export interface MatrixFixture {
	server: RunningServer
	boardId: string
	/** A finished job of the owner's and its first image. */
	jobId: string
	imageId: string
	users: Record<Exclude<Actor, 'anonymous'>, TestUser>
	/** The matrix's accounts sign in with this password. */
	password: string
	/** Tokens of live links, for sockets opened with `?share=` and no cookie. */
	tokens: { viewer: string; editor: string; client: string }
	/** Session cookie of the actor ('' for anonymous). */
	cookie(actor: Actor): string
}

/** Builds the board, its members, one guest per link role and a stranger. */
export async function buildMatrix(
	server: RunningServer,
	finishedJob: (owner: TestUser, boardId: string) => Promise<{ jobId: string; imageId: string }>,
): Promise<MatrixFixture> {
	const owner = await buildUser(server, 'Owner')
	const editor = await buildUser(server, 'Editor')
	const viewer = await buildUser(server, 'Viewer')
	const nonMember = await buildUser(server, 'Stranger')
	const boardId = (await buildBoard(server, owner)).id
	await addMember(server, owner, boardId, editor, 'editor')
	await addMember(server, owner, boardId, viewer, 'viewer')
	const links = {
		viewer: await buildShareLink(server, owner, boardId, { role: 'viewer' }),
		editor: await buildShareLink(server, owner, boardId, { role: 'editor' }),
		client: await buildShareLink(server, owner, boardId, { role: 'client' }),
	}
	const doomed = {
		revoked: await buildShareLink(server, owner, boardId, { role: 'editor' }),
		// Joined right away, then left to expire.
		expiring: await buildShareLink(server, owner, boardId, {
			role: 'editor',
			expiresAt: new Date(Date.now() + 2000).toISOString(),
		}),
	}
	const expiredGuest = await buildGuest(server, doomed.expiring.token, 'Expired guest')
	const users = {
		owner,
		editor,
		viewer,
		nonMember,
		guestViewer: await buildGuest(server, links.viewer.token, 'Guest viewer'),
		guestEditor: await buildGuest(server, links.editor.token, 'Guest editor'),
		client: await buildGuest(server, links.client.token, 'Client'),
		revokedGuest: await buildGuest(server, doomed.revoked.token, 'Revoked guest'),
		expiredGuest,
	}
	const revoked = await api(server, owner.cookie).raw(
		'DELETE',
		`/api/boards/${boardId}/share-links/${doomed.revoked.id}`,
	)
	if (revoked.status !== 204) throw new Error(`revoke failed: ${JSON.stringify(revoked.body)}`)
	const expiry = Date.parse(doomed.expiring.expiresAt ?? '')
	await waitFor('the expiring link to expire', () => Date.now() > expiry)
	const { jobId, imageId } = await finishedJob(owner, boardId)
	return {
		server,
		boardId,
		jobId,
		imageId,
		users,
		password: TEST_PASSWORD,
		tokens: { viewer: links.viewer.token, editor: links.editor.token, client: links.client.token },
		cookie: (actor) => (actor === 'anonymous' ? '' : users[actor].cookie),
	}
}

/** A JSON request as `actor`; resolves the status. */
export async function request(
	f: MatrixFixture,
	actor: Actor,
	method: string,
	path: string,
	body?: unknown,
): Promise<number> {
	return (await api(f.server, f.cookie(actor) || undefined).raw(method, path, body)).status
}

export type SocketOutcome =
	| { connects: true; writes: 'applied' | 'dropped' }
	| { connects: false; code: number }

/**
 * Opens a board socket (cookie and/or `?share=`), sends a doc update, then a sync step 1: the
 * server handles one socket's frames in order, so once the step 1 is answered the update was
 * applied or dropped. Reports which, or the close code of a refused socket.
 */
export async function probeSocket(
	f: MatrixFixture,
	options: { cookie?: string; share?: string },
): Promise<SocketOutcome> {
	const raw = connectRawWith(f.server, f.boardId, options)
	const id = `shape:probe-${Math.random().toString(36).slice(2)}`
	let code: number | null = null
	raw.closed.then((c) => {
		code = c.code
	})
	try {
		await raw.opened
		raw.ws.send(syncFrame(SYNC_UPDATE, recordUpdate(markerRecord(id))))
		raw.ws.send(syncFrame(SYNC_STEP_1, Y.encodeStateVector(new Y.Doc())))
		await waitFor(
			'an answer or a close',
			() =>
				code !== null || raw.received.some((m) => m[0] === MESSAGE_SYNC && m[1] === SYNC_STEP_2),
		)
	} catch {
		// A refused upgrade may error before it opens; its close code says why.
		await waitFor('a close', () => code !== null)
	}
	if (code !== null) return { connects: false, code }
	raw.ws.close()
	const applied = f.server.ctx.boards.getRecord(f.boardId, id) !== undefined
	return { connects: true, writes: applied ? 'applied' : 'dropped' }
}
