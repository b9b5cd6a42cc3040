import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLOSE_CODES } from '../shared/collab'
import type { RunningServer } from './server'
import { buildBoard, buildServer, buildUser, type TestUser, tempDir } from './test/factories'
import { buildShareLink, connectRawWith } from './test/sharing'

// Requests a browser makes for another site: refused when they change anything, whatever
// cookie they carry. JSON routes take JSON only, and the session cookie is Secure over https.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let boardId: string

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({
		dataDir: tmp.dir,
		env: {
			ARBOR_ALLOWED_ORIGINS: 'https://studio.example.com',
			ARBOR_TRUST_PROXY: 'loopback',
			ARBOR_GUEST_JOINS_PER_ADDRESS: '3',
		},
	})
	owner = await buildUser(server, 'Owner')
	boardId = (await buildBoard(server, owner)).id
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

function send(
	path: string,
	init: { method?: string; headers?: Record<string, string>; body?: string },
) {
	return fetch(`${server.url}${path}`, {
		method: init.method ?? 'POST',
		headers: { cookie: owner.cookie, ...init.headers },
		body: init.body,
	})
}

describe('cross-site requests', () => {
	it('refuses a state change from a foreign Origin, cookie or not', async () => {
		for (const origin of ['http://localhost:5173', 'https://evil.example', 'null']) {
			const res = await send('/api/boards', {
				headers: { origin, 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'Planted' }),
			})
			expect(res.status, origin).toBe(403)
		}
	})

	it('refuses a browser’s cross-site request that carries no Origin', async () => {
		const res = await send('/api/boards', {
			headers: { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Planted' }),
		})
		expect(res.status).toBe(403)
	})

	it('accepts its own origin and the configured ones', async () => {
		for (const origin of [server.url, 'https://studio.example.com']) {
			const res = await send('/api/boards', {
				headers: { origin, 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'Mine' }),
			})
			expect(res.status, origin).toBe(201)
		}
	})

	it('refuses a JSON route’s body sent as text/plain or a form (415)', async () => {
		for (const type of [
			'text/plain',
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
		]) {
			const res = await send(`/api/boards/${boardId}/share-links`, {
				headers: { 'content-type': type },
				body: '{"role":"editor"}',
			})
			expect(res.status, type).toBe(415)
			expect((await res.json()).error.code).toBe('unsupported_media_type')
		}
	})

	it('refuses a board socket opened from a foreign Origin', async () => {
		const raw = connectRawWith(server, boardId, {
			cookie: owner.cookie,
			headers: { origin: 'http://localhost:5173' },
		})
		const closed = await raw.closed
		expect(closed.code).toBe(CLOSE_CODES.forbidden)
		const own = connectRawWith(server, boardId, {
			cookie: owner.cookie,
			headers: { origin: server.url },
		})
		await own.opened
		own.ws.close()
	})
})

describe('request bodies', () => {
	it('limits every route but the upload route to 64 KiB', async () => {
		const big = JSON.stringify({ role: 'editor', pad: 'x'.repeat(100 * 1024) })
		const res = await send(`/api/boards/${boardId}/members/uploads`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: big,
		})
		expect(res.status).toBe(413)
	})
})

describe('the session cookie', () => {
	const signup = (headers: Record<string, string>) =>
		fetch(`${server.url}/api/auth/signup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify({
				email: `secure-${Math.random()}@example.com`,
				password: 'correct horse battery',
				name: 'Secure',
			}),
		})

	it('is Secure when a trusted proxy says the request came over https', async () => {
		const res = await signup({ 'x-forwarded-proto': 'https' })
		expect(res.status).toBe(201)
		expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
	})

	it('believes X-Forwarded-Proto only from a trusted proxy', async () => {
		const other = await buildServer({ dataDir: tempDir().dir })
		try {
			const res = await fetch(`${other.url}/api/auth/signup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
				body: JSON.stringify({
					email: 'plain@example.com',
					password: 'correct horse battery',
					name: 'P',
				}),
			})
			expect(res.status).toBe(201)
			expect(res.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i)
		} finally {
			await other.close()
		}
	})
})

describe('guest joins', () => {
	it('are limited per address (429 with Retry-After)', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'viewer' })
		const statuses: number[] = []
		let retryAfter: string | null = null
		for (let i = 0; i < 4; i++) {
			const res = await fetch(`${server.url}/api/share/${link.token}/join`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ name: `Guest ${i}` }),
			})
			statuses.push(res.status)
			retryAfter = res.headers.get('retry-after')
		}
		expect(statuses).toEqual([201, 201, 201, 429])
		expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
	})

	it('are limited per link, whatever the address', async () => {
		const other = await buildServer({
			dataDir: tempDir().dir,
			env: { ARBOR_GUEST_JOINS_PER_LINK: '2', ARBOR_TRUST_PROXY: 'loopback' },
		})
		try {
			const o = await buildUser(other, 'Owner')
			const board = await buildBoard(other, o)
			const link = await buildShareLink(other, o, board.id, { role: 'viewer' })
			const statuses: number[] = []
			for (let i = 0; i < 3; i++) {
				const res = await fetch(`${other.url}/api/share/${link.token}/join`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
					body: JSON.stringify({ name: `Guest ${i}` }),
				})
				statuses.push(res.status)
			}
			expect(statuses).toEqual([201, 201, 429])
		} finally {
			await other.close()
		}
	})
})
