import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server'
import { buildServer, buildUser, tempDir } from './test/factories'

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let cookie: string

beforeAll(async () => {
	tmp = tempDir()
	const client = join(tmp.dir, 'client')
	mkdirSync(join(client, 'assets'), { recursive: true })
	writeFileSync(join(client, 'index.html'), '<!doctype html><div id="root"></div>')
	writeFileSync(join(client, 'assets', 'main-abc.js'), 'export {}')
	server = await buildServer({ dataDir: tmp.dir, env: { ARBOR_CLIENT_DIR: client } })
	cookie = (await buildUser(server)).cookie
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

function directives(csp: string | null): Map<string, string[]> {
	const map = new Map<string, string[]>()
	for (const part of (csp ?? '').split(';')) {
		const [name, ...values] = part.trim().split(/\s+/)
		if (name) map.set(name, values)
	}
	return map
}

describe('security headers', () => {
	it.each([
		['the board page', '/boards/brd_abcdef123', {}],
		['the sign-in page', '/', {}],
		['a built asset', '/assets/main-abc.js', {}],
		['an API answer', '/api/me', { cookie: true }],
		['an API error', '/api/boards/brd_nope', {}],
		['an unknown API path', '/api/nothing-here', {}],
		['liveness', '/api/health', {}],
	])('are set on %s', async (_, path, opts) => {
		const res = await fetch(`${server.url}${path}`, {
			headers: (opts as { cookie?: boolean }).cookie ? { cookie } : {},
		})
		expect(res.headers.get('x-content-type-options')).toBe('nosniff')
		expect(res.headers.get('referrer-policy')).toBe('same-origin')
		expect(res.headers.get('x-frame-options')).toBe('DENY')
		const csp = directives(res.headers.get('content-security-policy'))
		expect(csp.get('frame-ancestors')).toEqual(["'none'"])
		expect(csp.get('default-src')).toEqual(["'self'"])
		expect(csp.get('object-src')).toEqual(["'none'"])
		// Only Arbor's own origin for images and connections (data:/blob: are local, not remote).
		for (const directive of ['img-src', 'connect-src'])
			for (const source of csp.get(directive) ?? [])
				expect(["'self'", 'data:', 'blob:']).toContain(source)
		expect(csp.get('script-src')).toEqual(["'self'"])
	})

	it('leave an image file its own, stricter policy', async () => {
		const board = await (
			await fetch(`${server.url}/api/boards`, {
				method: 'POST',
				headers: { cookie, 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'Headers' }),
			})
		).json()
		const png = await sharp({
			create: { width: 32, height: 32, channels: 3, background: '#336699' },
		})
			.png()
			.toBuffer()
		const upload = await fetch(`${server.url}/api/boards/${board.board.id}/uploads`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'image/png' },
			body: png,
		})
		const uploaded = await upload.json()
		expect(upload.status, JSON.stringify(uploaded)).toBe(201)
		const { image } = uploaded
		const file = await fetch(
			`${server.url}/api/boards/${board.board.id}/images/${image.id}/file?size=full`,
			{ headers: { cookie } },
		)
		expect(file.status).toBe(200)
		expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
		expect(file.headers.get('referrer-policy')).toBe('same-origin')
	})
})
