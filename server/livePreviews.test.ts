import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createBuiltinBackend } from '../engines/builtin/builtinBackend'
import { PREVIEW_MAX_PX } from '../engines/previews'
import { jobPreviewPath, ServerAwarenessSchema } from '../shared/collab'
import type { RunningServer } from './server'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from './test/factories'

// Live previews end to end in embedded mode: the builtin painter's coarse-to-fine sheets reach a
// second person's real y-websocket client as a number on the server's awareness, the image is
// fetched from the server's memory, and nothing of it lands in the doc.

describe('live previews', () => {
	const data = tempDir()
	let server: RunningServer
	let owner: TestUser
	let viewer: TestUser
	let boardId: string

	beforeAll(async () => {
		server = await buildServer({
			dataDir: data.dir,
			backend: createBuiltinBackend({ delayMs: 2500 }),
		})
		owner = await buildUser(server, 'Olive')
		viewer = await buildUser(server, 'Vic')
		boardId = (await buildBoard(server, owner)).id
		await addMember(server, owner, boardId, viewer, 'viewer')
	})
	afterAll(async () => {
		await server.close()
		data.remove()
	})

	it("reach a second person's canvas at most twice a second, never in the doc, then make way for the result", async () => {
		const client = connectBoard(server, boardId, viewer)
		try {
			const seen = new Map<number, number>()
			const watch = () => {
				for (const state of client.provider.awareness.getStates().values()) {
					const parsed = ServerAwarenessSchema.safeParse(state)
					if (!parsed.success) continue
					for (const live of Object.values(parsed.data.jobs))
						if (live.preview !== undefined && !seen.has(live.preview))
							seen.set(live.preview, Date.now())
				}
			}
			client.provider.awareness.on('change', watch)
			await waitFor('synced', () => client.provider.synced)

			const res = await api(server, owner.cookie).post(`/api/boards/${boardId}/jobs`, {
				op: 'imagine',
				prompt: 'a lighthouse in a storm',
				params: { aspectRatio: '1:1' },
			})
			expect(res.status).toBe(202)
			const jobId: string = res.body.job.id

			const first = await waitFor('a preview on the viewer’s awareness', () => seen.size > 0)
			expect(first).toBe(true)
			const n = [...seen.keys()].at(-1)!
			const file = await fetch(`${server.url}${jobPreviewPath(boardId, jobId, n)}`, {
				headers: { cookie: viewer.cookie },
			})
			expect(file.status).toBe(200)
			expect(file.headers.get('content-type')).toBe('image/webp')
			const meta = await sharp(new Uint8Array(await file.arrayBuffer())).metadata()
			expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(PREVIEW_MAX_PX)

			// Someone without access to the board cannot fetch it.
			const stranger = await buildUser(server, 'Stan')
			const refused = await fetch(`${server.url}${jobPreviewPath(boardId, jobId, n)}`, {
				headers: { cookie: stranger.cookie },
			})
			expect([403, 404]).toContain(refused.status)

			// Not in the doc: no image bytes, no preview field, on either side.
			for (const doc of [client.doc, server.ctx.boards.getDoc(boardId)]) {
				const update = Buffer.from(Y.encodeStateAsUpdate(doc))
				expect(update.includes('WEBP')).toBe(false)
				expect(update.includes('preview')).toBe(false)
			}

			const runningSince = Math.min(...seen.values())
			await waitForJob(server, owner, boardId, jobId)
			const seconds = (Date.now() - runningSince) / 1000
			// Several previews (coarse passes, finished candidates), at most two per second.
			expect(seen.size).toBeGreaterThanOrEqual(2)
			expect(seen.size).toBeLessThanOrEqual(Math.ceil(seconds * 2) + 1)

			// The result replaces it: gone from awareness and from the server's memory.
			await waitFor('the preview to leave awareness', () => {
				const states = [...client.provider.awareness.getStates().values()]
				return !JSON.stringify(states).includes('"preview"')
			})
			const gone = await fetch(`${server.url}${jobPreviewPath(boardId, jobId, n)}`, {
				headers: { cookie: viewer.cookie },
			})
			expect(gone.status).toBe(404)
		} finally {
			client.destroy()
		}
	})
})
