import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server'
import { buildBoard, buildServer, buildUser, type TestUser, tempDir } from './test/factories'

// Uploads are bounded: a truncated file is the uploader's mistake (422), big photos are stored
// at a size steering uses, and each person's rate and each board's storage are capped.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let owner: TestUser
let boardId: string

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, env: { ARBOR_UPLOADS_PER_MINUTE: '100' } })
	owner = await buildUser(server, 'Owner')
	boardId = (await buildBoard(server, owner)).id
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

function upload(
	s: RunningServer,
	user: TestUser,
	board: string,
	bytes: Uint8Array,
	type = 'image/png',
) {
	return fetch(`${s.url}/api/boards/${board}/uploads?x=0&y=0`, {
		method: 'POST',
		headers: { 'content-type': type, cookie: user.cookie },
		body: new Uint8Array(bytes),
	})
}

/** A photo-like picture: smooth gradients with grain (what JPEG keeps small and PNG does not). */
async function photo(width: number, height: number, seed = 0): Promise<Buffer> {
	const raw = Buffer.alloc(width * height * 3)
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 3
			const grain = (Math.random() * 24) | 0
			raw[i] = ((x * 255) / width + grain + seed) & 255
			raw[i + 1] = ((y * 255) / height + grain) & 255
			raw[i + 2] = (((x + y) * 127) / (width + height) + grain) & 255
		}
	return sharp(raw, { raw: { width, height, channels: 3 } })
		.jpeg({ quality: 90 })
		.toBuffer()
}

describe('POST /api/boards/:boardId/uploads', () => {
	it('answers 422 to a truncated PNG', async () => {
		const png = await sharp({
			create: { width: 256, height: 256, channels: 3, background: '#3a7' },
		})
			.png()
			.toBuffer()
		const noisy = await sharp(await photo(256, 256))
			.png()
			.toBuffer()
		for (const whole of [png, noisy]) {
			const res = await upload(
				server,
				owner,
				boardId,
				whole.subarray(0, Math.floor(whole.length / 2)),
			)
			expect(res.status).toBe(422)
			expect((await res.json()).error.code).toBe('unprocessable')
		}
	})

	it('stores a big photo at most 2048 px on its long edge, not blown up on disk', async () => {
		const jpeg = await photo(4000, 3000)
		const res = await upload(server, owner, boardId, jpeg, 'image/jpeg')
		expect(res.status).toBe(201)
		const { image } = await res.json()
		expect(Math.max(image.width, image.height)).toBe(2048)
		const stored = await server.ctx.assets.read(
			server.ctx.db.$client
				.prepare('select sha256 from images where id = ?')
				.pluck()
				.get(image.id) as string,
			'full',
		)
		expect(stored.length).toBeLessThan(jpeg.length * 2)
	})

	it('limits how many uploads one person starts a minute (429 with Retry-After)', async () => {
		const other = await buildServer({
			dataDir: tempDir().dir,
			env: { ARBOR_UPLOADS_PER_MINUTE: '2' },
		})
		try {
			const user = await buildUser(other, 'Uploader')
			const board = (await buildBoard(other, user)).id
			const statuses: number[] = []
			let retryAfter: string | null = null
			for (let i = 0; i < 3; i++) {
				const res = await upload(other, user, board, await photo(64, 64, i), 'image/jpeg')
				statuses.push(res.status)
				retryAfter = res.headers.get('retry-after')
			}
			expect(statuses).toEqual([201, 201, 429])
			expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
		} finally {
			await other.close()
		}
	})

	it('refuses uploads past the board’s storage quota', async () => {
		const other = await buildServer({ dataDir: tempDir().dir, env: { ARBOR_UPLOAD_QUOTA_MB: '1' } })
		try {
			const user = await buildUser(other, 'Uploader')
			const board = (await buildBoard(other, user)).id
			const statuses: number[] = []
			for (let i = 0; i < 4; i++)
				statuses.push(
					(await upload(other, user, board, await photo(600, 600, i), 'image/jpeg')).status,
				)
			expect(statuses[0]).toBe(201)
			expect(statuses).toContain(413)
			// Another board has its own quota.
			const fresh = (await buildBoard(other, user, 'Fresh')).id
			expect(
				(await upload(other, user, fresh, await photo(600, 600, 9), 'image/jpeg')).status,
			).toBe(201)
		} finally {
			await other.close()
		}
	})
})
