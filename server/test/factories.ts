import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLRecord } from '@tldraw/tlschema'
import WebSocket from 'ws'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Engine } from '../../engines/types'
import type { Job } from '../../shared/api'
import { TL_RECORDS_KEY } from '../../shared/collab'
import { loadConfig } from '../config'
import { createLogger } from '../logger'
import { type RunningServer, startServer } from '../server'

// Fixture builders for integration tests: a real server on port 0 over a real SQLite file in a
// temp dir, real HTTP, real y-websocket clients.

export function tempDir(prefix = 'arbor-test-'): { dir: string; remove(): void } {
	const dir = mkdtempSync(join(tmpdir(), prefix))
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export async function buildServer(options: {
	dataDir: string
	backend?: Engine
	env?: Record<string, string>
}): Promise<RunningServer> {
	const config = loadConfig({
		PORT: '0',
		HOST: '127.0.0.1',
		ARBOR_DATA_DIR: options.dataDir,
		ARBOR_CLIENT_DIR: join(options.dataDir, 'no-client'),
		LOG_LEVEL: 'silent',
		// Retries in tests wait tens of milliseconds, not seconds.
		ARBOR_RETRY_BACKOFF_MS: '50',
		...options.env,
	})
	return startServer({ config, logger: createLogger('silent'), backend: options.backend })
}

export interface TestUser {
	id: string
	name: string
	email: string
	cookie: string
}

let userCounter = 0

/** Every test account's password. */
export const TEST_PASSWORD = 'correct horse battery'

/** A tiny HTTP client that keeps one user's session cookie. */
export function api(server: { url: string }, cookie?: string) {
	const call = async (method: string, path: string, body?: unknown) => {
		const res = await fetch(`${server.url}${path}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		})
		const text = await res.text()
		// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies ad hoc
		let json: any = null
		try {
			json = text ? JSON.parse(text) : null
		} catch {
			json = text
		}
		return { status: res.status, body: json, headers: res.headers }
	}
	return {
		get: (path: string) => call('GET', path),
		post: (path: string, body?: unknown) => call('POST', path, body ?? {}),
		raw: call,
	}
}

export async function buildUser(server: { url: string }, name?: string): Promise<TestUser> {
	userCounter += 1
	const n = name ?? `User ${userCounter}`
	const email = `user${userCounter}-${Date.now()}@example.com`
	const res = await fetch(`${server.url}/api/auth/signup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password: TEST_PASSWORD, name: n }),
	})
	if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`)
	const cookie = res.headers.get('set-cookie')!.split(';')[0]
	const { user } = await res.json()
	return { id: user.id, name: n, email, cookie }
}

export async function buildBoard(server: { url: string }, owner: TestUser, name = 'Moodboard') {
	const res = await api(server, owner.cookie).post('/api/boards', { name })
	if (res.status !== 201) throw new Error(`board create failed: ${JSON.stringify(res.body)}`)
	return res.body.board as { id: string; name: string }
}

export async function addMember(
	server: { url: string },
	owner: TestUser,
	boardId: string,
	member: TestUser,
	role: 'editor' | 'viewer',
) {
	const res = await api(server, owner.cookie).post(`/api/boards/${boardId}/members`, {
		email: member.email,
		role,
	})
	if (res.status !== 201) throw new Error(`member add failed: ${JSON.stringify(res.body)}`)
	// Adding invites: the member joins by accepting.
	if (res.body.invitation) await acceptInvitation(server, member, res.body.invitation.id)
}

/** Accepts an invitation as its invitee. */
export async function acceptInvitation(
	server: { url: string },
	invitee: { cookie: string },
	invitationId: string,
) {
	const res = await api(server, invitee.cookie).post(`/api/invitations/${invitationId}/accept`)
	if (res.status !== 200) throw new Error(`accept failed: ${JSON.stringify(res.body)}`)
}

/** A real y-websocket client on a board, signed in with the user's cookie. */
/** A real y-websocket client on a board, signed in as `user` (its session cookie). */
export function connectBoard(server: { url: string }, boardId: string, user: TestUser) {
	return connectWith(server, boardId, { cookie: user.cookie })
}

/**
 * A real y-websocket client on a board: with the user's cookie if given, with `?share=token` if
 * given. Records every close code it sees.
 */
export function connectWith(
	server: { url: string },
	boardId: string,
	options: { cookie?: string; share?: string },
) {
	const doc = new Y.Doc()
	const headers = options.cookie ? { cookie: options.cookie } : {}
	class CookieWebSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers })
		}
	}
	const provider = new WebsocketProvider(`${server.url.replace('http', 'ws')}/yjs`, boardId, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: options.share ? { share: options.share } : {},
	})
	const closes: { code: number; at: number }[] = []
	provider.on('connection-close', (event) =>
		closes.push({ code: (event as CloseEvent | null)?.code ?? 0, at: Date.now() }),
	)
	const records = new YKeyValue<TLRecord>(doc.getArray(TL_RECORDS_KEY))
	return {
		doc,
		provider,
		records,
		closes,
		get: (id: string) => records.get(id) as TLRecord | undefined,
		all: () => [...records.map.values()].map((v) => v.val as TLRecord),
		destroy: () => {
			provider.destroy()
			doc.destroy()
		},
	}
}

/** Polls until `check` returns a truthy value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
	timeoutMs = 15_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs
	let last: unknown
	while (Date.now() < deadline) {
		try {
			const value = await check()
			if (value) return value
		} catch (err) {
			last = err
		}
		await new Promise((r) => setTimeout(r, 20))
	}
	throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`)
}

export async function waitForJob(
	server: { url: string },
	user: TestUser,
	boardId: string,
	jobId: string,
	status: Job['status'] = 'done',
	timeoutMs = 20_000,
): Promise<Job> {
	return waitFor(
		`job ${jobId} to be ${status}`,
		async () => {
			const res = await api(server, user.cookie).get(`/api/boards/${boardId}/jobs/${jobId}`)
			return res.body?.job?.status === status ? (res.body.job as Job) : null
		},
		timeoutMs,
	)
}
