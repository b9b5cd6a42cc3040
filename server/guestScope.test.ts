import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { creditsReserve } from './commands/credits'
import { members, users } from './db/schema'
import { AppError } from './errors'
import { newId } from './ids'
import type { RunningServer } from './server'
import { api, buildBoard, buildServer, buildUser, type TestUser, tempDir } from './test/factories'
import { buildGuest, buildShareLink } from './test/sharing'
import { testBackend } from './test/testBackend'

// A guest's access is their link's board and nothing else; only an editor link's guests spend
// the link creator's credits, and only on that board.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let boardId: string
let otherBoardId: string

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
	owner = await buildUser(server, 'Owner')
	boardId = (await buildBoard(server, owner)).id
	otherBoardId = (await buildBoard(server, owner, 'Other')).id
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

const guestRow = (id: string) => server.ctx.db.select().from(users).where(eq(users.id, id)).get()!

function reserveAs(guestId: string, onBoard: string) {
	return server.ctx.db.transaction((tx) =>
		creditsReserve(tx, {
			user: guestRow(guestId),
			board: { id: onBoard, budgetCap: null },
			jobId: newId('job'),
			amount: 1,
			defaultAllowance: 1000,
		}),
	)
}

function forbiddenCode(fn: () => void): string | null {
	try {
		fn()
		return null
	} catch (err) {
		return err instanceof AppError ? err.code : String(err)
	}
}

describe('guests', () => {
	it('cannot create a board', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'editor' })
		const guest = await buildGuest(server, link.token)
		const res = await api(server, guest.cookie).post('/api/boards', { name: 'Mine now' })
		expect(res.status).toBe(403)
	})

	it('reach no board through a membership row, only through their link', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'viewer' })
		const guest = await buildGuest(server, link.token)
		// A guest made owner of a board before guests were kept out of board creation.
		server.ctx.db
			.insert(members)
			.values({ boardId: otherBoardId, userId: guest.id, role: 'owner' })
			.run()
		expect((await api(server, guest.cookie).get(`/api/boards/${otherBoardId}`)).status).toBe(403)
		const job = await api(server, guest.cookie).post(`/api/boards/${otherBoardId}/jobs`, {
			op: 'imagine',
			prompt: 'billed to the link creator',
		})
		expect(job.status).toBe(403)
	})

	it('of an editor link spend the creator’s credits on that board only', async () => {
		const link = await buildShareLink(server, owner, boardId, { role: 'editor' })
		const guest = await buildGuest(server, link.token)
		expect(forbiddenCode(() => reserveAs(guest.id, boardId))).toBeNull()
		expect(forbiddenCode(() => reserveAs(guest.id, otherBoardId))).toBe('forbidden')
	})

	it('of viewer and client links never spend the creator’s credits', async () => {
		for (const role of ['viewer', 'client'] as const) {
			const link = await buildShareLink(server, owner, boardId, { role })
			const guest = await buildGuest(server, link.token)
			expect(forbiddenCode(() => reserveAs(guest.id, boardId))).toBe('forbidden')
		}
	})
})
