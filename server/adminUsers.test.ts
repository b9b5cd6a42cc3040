import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server'
import { api, buildBoard, buildServer, buildUser, type TestUser, tempDir } from './test/factories'
import { buildGuest, buildShareLink } from './test/sharing'

// The admin page's people: accounts apart from the guests who joined through a share link.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let admin: TestUser

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
	admin = await buildUser(server, 'Ada')
	const board = await buildBoard(server, admin)
	const link = await buildShareLink(server, admin, board.id, { role: 'viewer' })
	await buildGuest(server, link.token, 'Visitor')
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

describe('GET /api/admin/users', () => {
	it('says which users are link guests, so the page can keep them apart from accounts', async () => {
		const res = await api(server, admin.cookie).get('/api/admin/users')
		expect(res.status).toBe(200)
		const byName = new Map(
			res.body.users.map((u: { name: string; isGuest: boolean }) => [u.name, u.isGuest]),
		)
		expect(byName.get('Ada')).toBe(false)
		expect(byName.get('Visitor')).toBe(true)
	})
})
