import type { TLRecord } from '@tldraw/tlschema'
import WebSocket from 'ws'
import type { ShareLinkCreated } from '../../shared/sharing'
import { frameRecord } from '../collab/testing'
import { api, type connectWith, type TestUser } from './factories'

// Share-link fixtures: links, guests, and board sockets opened with `?share=` or a guest cookie.

type Server = { url: string }

export async function buildShareLink(
	server: Server,
	owner: TestUser,
	boardId: string,
	body: { role: 'viewer' | 'editor' | 'client'; expiresAt?: string | null; label?: string },
): Promise<ShareLinkCreated> {
	const res = await api(server, owner.cookie).post(`/api/boards/${boardId}/share-links`, body)
	if (res.status !== 201) throw new Error(`share link create failed: ${JSON.stringify(res.body)}`)
	return res.body.link as ShareLinkCreated
}

/** Joins a link as a new guest; returns them as a TestUser holding the guest session cookie. */
export async function buildGuest(server: Server, token: string, name = 'Guest'): Promise<TestUser> {
	const res = await fetch(`${server.url}/api/share/${token}/join`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name }),
	})
	if (res.status !== 201) throw new Error(`join failed: ${res.status} ${await res.text()}`)
	const cookie = res.headers.get('set-cookie')?.split(';')[0] ?? ''
	const { user } = await res.json()
	return { id: user.id, name, email: user.email, cookie }
}

export type ShareClient = ReturnType<typeof connectWith>

/** A bare socket on a board, for hand-made frames; resolves its close code when refused. */
export function connectRawWith(
	server: Server,
	boardId: string,
	options: { cookie?: string; share?: string; headers?: Record<string, string> },
) {
	const query = options.share ? `?share=${encodeURIComponent(options.share)}` : ''
	const ws = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${boardId}${query}`, {
		headers: { ...options.headers, ...(options.cookie ? { cookie: options.cookie } : {}) },
	})
	const received: Uint8Array[] = []
	ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)))
	const closed = new Promise<{ code: number; at: number }>((resolve) =>
		ws.on('close', (code) => resolve({ code, at: Date.now() })),
	)
	const opened = new Promise<void>((resolve, reject) => {
		ws.on('open', () => resolve())
		ws.on('error', reject)
	})
	return { ws, received, closed, opened }
}

/** A minimal shape record: enough for the doc, which does not validate records. */
/** A valid record an editor's client may write, to see whose writes arrive. */
export const markerRecord = (id: string): TLRecord => frameRecord(id)
