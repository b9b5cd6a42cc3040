import { existsSync, rmSync } from 'node:fs'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Job } from '../shared/api'
import { THUMBNAIL_EDGES } from '../shared/api'
import { AssetStore } from './assets/assetStore'
import { getImage } from './queries/views'
import type { RunningServer } from './server'
import {
	api,
	buildBoard,
	buildServer,
	buildUser,
	type TestUser,
	tempDir,
	waitForJob,
} from './test/factories'
import { buildGuest, buildShareLink } from './test/sharing'
import { testBackend } from './test/testBackend'

// The image file route's sizes and caching: a real server, a real job, a guest on a client link.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let guest: TestUser
let boardId: string
/** A 16:9 grid: its long edge is the width. */
let grid: Job

const fileUrl = (imageId: string, size: string) =>
	`${server.url}/api/boards/${boardId}/images/${imageId}/file?size=${size}`
const getFile = (imageId: string, size: string, user: TestUser, headers = {}) =>
	fetch(fileUrl(imageId, size), { headers: { cookie: user.cookie, ...headers } })
const ownerApi = () => api(server, owner.cookie)
const sha256Of = (imageId: string) => getImage(server.ctx.db, boardId, imageId)!.sha256

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, backend: testBackend() })
	owner = await buildUser(server, 'Olivia')
	boardId = (await buildBoard(server, owner)).id
	const res = await ownerApi().post(`/api/boards/${boardId}/jobs`, {
		op: 'imagine',
		prompt: 'a lighthouse in fog',
		params: { aspectRatio: '16:9', seed: 5 },
	})
	expect(res.status, JSON.stringify(res.body)).toBe(202)
	grid = await waitForJob(server, owner, boardId, res.body.job.id)
	const link = await buildShareLink(server, owner, boardId, { role: 'client' })
	guest = await buildGuest(server, link.token, 'Acme')
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

describe('GET …/images/:imageId/file?size=small', () => {
	it('serves a WebP with a long edge of 128 px, the aspect kept', async () => {
		const res = await getFile(grid.images[0].id, 'small', owner)
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toBe('image/webp')
		const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata()
		expect(meta.format).toBe('webp')
		expect(meta.width).toBe(THUMBNAIL_EDGES.small)
		expect(meta.height).toBe(Math.round((THUMBNAIL_EDGES.small * 9) / 16))
		const thumb = await getFile(grid.images[0].id, 'thumb', owner)
		expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(
			THUMBNAIL_EDGES.thumb,
		)
	})

	it('derives it once and keeps it on disk beside the thumbnail', async () => {
		const imageId = grid.images[1].id
		const sha256 = sha256Of(imageId)
		const path = server.ctx.assets.path(sha256, 'small')
		expect(existsSync(path)).toBe(false)
		const first = Buffer.from(await (await getFile(imageId, 'small', owner)).arrayBuffer())
		expect(existsSync(path)).toBe(true)
		const second = Buffer.from(await (await getFile(imageId, 'small', owner)).arrayBuffer())
		expect(second.equals(first)).toBe(true)
		// A fresh store over the same files (a restart) reads it from disk, with nothing to derive
		// it from: the thumbnail it came from is gone.
		rmSync(server.ctx.assets.path(sha256, 'thumb'))
		const restarted = new AssetStore(server.ctx.config.assetsDir)
		expect(restarted.path(sha256, 'small')).toBe(path)
		expect((await restarted.read(sha256, 'small')).equals(first)).toBe(true)
	})

	it('is cached by the browser: immutable and private, and a matching ETag gets a 304', async () => {
		const imageId = grid.images[2].id
		const res = await getFile(imageId, 'small', owner)
		expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
		const etag = res.headers.get('etag')!
		expect(etag).toBe(`"${sha256Of(imageId)}-small"`)
		expect(etag).not.toBe((await getFile(imageId, 'thumb', owner)).headers.get('etag'))
		const again = await getFile(imageId, 'small', owner, { 'if-none-match': etag })
		expect(again.status).toBe(304)
		expect(again.headers.get('etag')).toBe(etag)
		expect((await again.arrayBuffer()).byteLength).toBe(0)
	})

	it('keeps the client view: an unpublished image is missing for a client, ETag or not', async () => {
		const imageId = grid.images[3].id
		const etag = (await getFile(imageId, 'small', owner)).headers.get('etag')!
		for (const headers of [{}, { 'if-none-match': etag }]) {
			const hidden = await getFile(imageId, 'small', guest, headers)
			expect(hidden.status).toBe(404)
			expect(hidden.headers.get('content-type')).toContain('application/json')
		}
		// Published, the client gets it; unpublished again, it is gone on the very next request.
		const publication = `/api/boards/${boardId}/publications/${imageId}`
		expect((await ownerApi().raw('PUT', publication)).status).toBe(200)
		const shown = await getFile(imageId, 'small', guest)
		expect(shown.status).toBe(200)
		expect(shown.headers.get('content-type')).toBe('image/webp')
		expect((await getFile(imageId, 'small', guest, { 'if-none-match': etag })).status).toBe(304)
		expect((await ownerApi().raw('DELETE', publication)).status).toBe(204)
		expect((await getFile(imageId, 'small', guest)).status).toBe(404)
		expect((await getFile(imageId, 'small', guest, { 'if-none-match': etag })).status).toBe(404)
	})

	it('rejects a size it does not know', async () => {
		const res = await getFile(grid.images[0].id, 'tiny', owner)
		expect(res.status).toBe(400)
	})
})

describe('GET …/images/:imageId/file?download=1', () => {
	it('names the file by board, prompt, op and place, not by the image id', async () => {
		const image = grid.images[1]
		const res = await getFile(image.id, 'full&download=1', owner)
		expect(res.status).toBe(200)
		const disposition = res.headers.get('Content-Disposition') ?? ''
		expect(disposition).toBe(
			`attachment; filename="moodboard_a-lighthouse-in-fog_imagine_${image.index + 1}.png"`,
		)
		expect(disposition).not.toContain(image.id)
	})
})

describe('GET /api/boards', () => {
	it('gives each board its owner and its newest image, for the list’s cards', async () => {
		const res = await ownerApi().get('/api/boards')
		const card = res.body.boards.find((b: { id: string }) => b.id === boardId)
		expect(card.owner).toEqual({ id: owner.id, name: 'Olivia' })
		expect(grid.images.map((i) => i.id)).toContain(card.coverImageId)
		const empty = await buildBoard(server, owner, 'Empty')
		const list = await ownerApi().get('/api/boards')
		expect(list.body.boards.find((b: { id: string }) => b.id === empty.id).coverImageId).toBeNull()
	})
})
