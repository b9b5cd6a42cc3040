import type { TLArrowBinding } from '@tldraw/tlschema'
import { unzipSync } from 'fflate'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { candidateAnchor } from '../shared/layout'
import { ArborProvenanceSchema } from '../shared/provenance/arbor'
import { parseInfotext } from '../shared/provenance/infotext'
import { readPngTextChunks } from '../shared/provenance/pngText'
import { jobShapeIds } from '../shared/records'
import type { GenerationShape } from '../shared/shapes/generationShape'
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

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let user: TestUser
let boardId: string
let root: { id: string; images: { id: string }[] }

const post = (path: string, body: unknown) =>
	api(server, user.cookie).post(`/api/boards/${boardId}${path}`, body)
const node = (jobId: string) =>
	server.ctx.boards.getRecord(boardId, jobShapeIds(jobId).node) as GenerationShape | undefined

async function run(body: Record<string, unknown>, timeoutMs = 90_000) {
	const res = await post('/jobs', body)
	expect(res.status, JSON.stringify(res.body)).toBe(202)
	return waitForJob(server, user, boardId, res.body.job.id, 'done', timeoutMs)
}

beforeAll(async () => {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir })
	user = await buildUser(server, 'Steer')
	boardId = (await buildBoard(server, user)).id
	root = await run({ op: 'imagine', prompt: 'misty pine forest at dawn', params: { seed: 7 } })
})

afterAll(async () => {
	await server.close()
	tmp.remove()
})

describe('steering primitives through the API', () => {
	// Zoom, pan and upscale are seconds of CPU each on the built-in generator: generous timeouts.
	it('remixes a candidate with an edited prompt, branching from that exact candidate', async () => {
		const job = await run({
			op: 'remix',
			parentImageId: root.images[1].id,
			prompt: 'misty pine forest at night',
		})
		expect(job).toMatchObject({
			op: 'remix',
			prompt: 'misty pine forest at night',
			parentImageId: root.images[1].id,
		})
		expect(job.images).toHaveLength(4)
		const binding = server.ctx.boards.getRecord(
			boardId,
			jobShapeIds(job.id).arrowStart,
		) as TLArrowBinding
		expect(binding.toId).toBe(jobShapeIds(root.id).node)
		expect(binding.props.normalizedAnchor).toEqual(candidateAnchor(1, node(root.id)!.props))
	})

	it('zooms out and pans, at the sizes the geometry promises', async () => {
		const zoom = await run({
			op: 'zoom_out',
			parentImageId: root.images[0].id,
			params: { factor: 2 },
		})
		expect([zoom.width, zoom.height]).toEqual([512, 512])
		expect(node(zoom.id)?.props.label).toBe('Zoom out 2×')
		const pan = await run({
			op: 'pan',
			parentImageId: root.images[0].id,
			params: { direction: 'left' },
		})
		expect([pan.width, pan.height]).toEqual([768, 512])
		const full = await api(server, user.cookie).raw(
			'GET',
			`/api/boards/${boardId}/images/${pan.images[0].id}/file?size=full`,
		)
		const meta = await sharp(
			Buffer.from(
				await (
					await fetch(
						`${server.url}/api/boards/${boardId}/images/${pan.images[0].id}/file?size=full`,
						{ headers: { cookie: user.cookie } },
					)
				).arrayBuffer(),
			),
		).metadata()
		expect(full.status).toBe(200)
		expect([meta.width, meta.height]).toEqual([768, 512])
	}, 120_000)

	it('rerolls a grid: same prompt and params, new seeds, an arrow from the whole node', async () => {
		const job = await run({ op: 'reroll', parentJobId: root.id })
		expect(job).toMatchObject({
			op: 'reroll',
			prompt: root.images && 'misty pine forest at dawn',
			parentJobId: root.id,
		})
		const seeds = (j: { images: { seed: number }[] }) => j.images.map((i) => i.seed)
		expect(seeds(job)).not.toEqual(seeds(root as unknown as { images: { seed: number }[] }))
		const binding = server.ctx.boards.getRecord(
			boardId,
			jobShapeIds(job.id).arrowStart,
		) as TLArrowBinding
		expect(binding.props.normalizedAnchor).toEqual({ x: 1, y: 0.5 })
	})

	it('quotes and commits an upscale: a final node, the parent marked committed, provenance embedded', async () => {
		const request = {
			op: 'upscale',
			parentImageId: root.images[3].id,
			params: { mode: 'subtle', factor: 2 },
		}
		const quote = await post('/jobs/quote', request)
		expect(quote.status).toBe(200)
		expect(quote.body).toMatchObject({ price: 8, width: 1024, height: 1024 })
		const before = (await api(server, user.cookie).get('/api/me')).body.credits.balance
		const job = await run(request, 120_000)
		expect((await api(server, user.cookie).get('/api/me')).body.credits.balance).toBe(before - 8)
		expect(job.images).toHaveLength(1)
		expect(node(job.id)?.props).toMatchObject({ kind: 'final', slots: 1, status: 'done' })
		expect(node(root.id)?.props.committed).toEqual([root.images[3].id])

		const res = await fetch(
			`${server.url}/api/boards/${boardId}/images/${job.images[0].id}/file?size=full&download=1`,
			{
				headers: { cookie: user.cookie },
			},
		)
		expect(res.headers.get('content-disposition')).toMatch(/^attachment/)
		const png = new Uint8Array(await res.arrayBuffer())
		const chunks = readPngTextChunks(png)
		const arbor = ArborProvenanceSchema.parse(
			JSON.parse(chunks.find((c) => c.keyword === 'arbor')!.text),
		)
		expect(arbor).toMatchObject({
			imageId: job.images[0].id,
			op: 'upscale',
			parents: [{ imageId: root.images[3].id }],
		})
		expect(arbor.model).toMatch(/esrgan/)
		expect(arbor.checks[0]).toMatchObject({ name: 'prompt-policy' })
		const infotext = parseInfotext(chunks.find((c) => c.keyword === 'parameters')!.text)
		expect(infotext.prompt).toBe('misty pine forest at dawn')

		const lineage = await api(server, user.cookie).get(
			`/api/boards/${boardId}/images/${job.images[0].id}/lineage`,
		)
		expect(lineage.body.lineage.map((s: { op: string }) => s.op)).toEqual(['imagine', 'upscale'])

		const finals = await api(server, user.cookie).get(`/api/boards/${boardId}/finals`)
		expect(finals.body.finals.map((f: { image: { id: string } }) => f.image.id)).toEqual([
			job.images[0].id,
		])
		const zip = await fetch(`${server.url}/api/boards/${boardId}/finals.zip`, {
			headers: { cookie: user.cookie },
		})
		const files = unzipSync(new Uint8Array(await zip.arrayBuffer()))
		expect(Object.keys(files).sort()).toEqual([`finals/${job.images[0].id}.png`, 'lineage.json'])
		expect(
			readPngTextChunks(files[`finals/${job.images[0].id}.png`]).map((c) => c.keyword),
		).toContain('arbor')
	}, 180_000)

	it('exports the whole DAG', async () => {
		const res = await api(server, user.cookie).get(`/api/boards/${boardId}/lineage.json`)
		expect(res.headers.get('content-disposition')).toMatch(/attachment/)
		const jobIds = new Set(res.body.nodes.map((n: { jobId: string }) => n.jobId))
		for (const edge of res.body.edges) {
			expect(jobIds.has(edge.to)).toBe(true)
			if (edge.fromKind === 'job') expect(jobIds.has(edge.from)).toBe(true)
		}
		expect(res.body.edges.length).toBe(res.body.nodes.length - 1)
	})

	it('refuses what an op cannot do, and prompts the policy blocks, naming the rule', async () => {
		const tooLong = await post('/jobs', {
			op: 'imagine',
			prompt: 'x',
			params: { aspectRatio: '16:9' },
		})
		const wide = await waitForJob(server, user, boardId, tooLong.body.job.id)
		let parent = wide.images[0].id
		let refusal: { status: number; body: { error: { code: string; message: string } } } | undefined
		for (let i = 0; i < 4 && !refusal; i++) {
			const res = await post('/jobs', {
				op: 'pan',
				parentImageId: parent,
				params: { direction: 'right' },
			})
			if (res.status !== 202) refusal = res
			else parent = (await waitForJob(server, user, boardId, res.body.job.id)).images[0].id
		}
		expect(refusal?.status).toBe(422)
		expect(refusal?.body.error.message).toMatch(/1:4/)

		const rule = await api(server, user.cookie).post('/api/admin/policy', {
			kind: 'term',
			value: 'gore',
			note: 'house rules',
		})
		expect(rule.status).toBe(201)
		const blocked = await post('/jobs', { op: 'imagine', prompt: 'a study in Gore and shadow' })
		expect(blocked.status).toBe(422)
		expect(blocked.body.error.message).toMatch(/blocked term “gore”.*rule \d+: house rules/)
		expect((await post('/jobs', { op: 'imagine', prompt: 'a gorgeous shadow' })).status).toBe(202)
	}, 120_000)
})

describe('uploads', () => {
	it('turns a dropped image into a node that can be varied, and refuses what is not an image', async () => {
		const png = await sharp({
			create: { width: 300, height: 200, channels: 3, background: '#336699' },
		})
			.png()
			.toBuffer()
		const res = await fetch(`${server.url}/api/boards/${boardId}/uploads?x=50&y=60`, {
			method: 'POST',
			headers: { cookie: user.cookie, 'content-type': 'image/png' },
			body: png,
		})
		expect(res.status).toBe(201)
		const { job, image } = await res.json()
		expect(image).toMatchObject({ op: 'upload', width: 300, height: 200, backend: 'upload' })
		expect(node(job.id)?.props).toMatchObject({
			kind: 'upload',
			slots: 1,
			candidates: [{ imageId: image.id }],
		})
		const varied = await run({
			op: 'vary',
			parentImageId: image.id,
			params: { strength: 'subtle' },
		})
		expect(varied.images).toHaveLength(4)

		const bad = await fetch(`${server.url}/api/boards/${boardId}/uploads`, {
			method: 'POST',
			headers: { cookie: user.cookie, 'content-type': 'image/png' },
			body: new TextEncoder().encode('<svg onload="alert(1)"/>'),
		})
		expect(bad.status).toBe(422)
		expect((await bad.json()).error.message).toMatch(/not an image/)
	})
})

describe('lineage of a reroll', () => {
	it('walks through the rerolled grid back to the prompt', async () => {
		const reroll = await run({ op: 'reroll', parentJobId: root.id })
		const varied = await run({
			op: 'vary',
			parentImageId: reroll.images[0].id,
			params: { strength: 'subtle' },
		})
		const res = await api(server, user.cookie).get(
			`/api/boards/${boardId}/images/${varied.images[2].id}/lineage`,
		)
		expect(res.body.lineage.map((s: { op: string; jobId: string }) => [s.op, s.jobId])).toEqual([
			['imagine', root.id],
			['reroll', reroll.id],
			['vary', varied.id],
		])
		expect(res.body.lineage[0].imageId).toBeNull()
	}, 120_000)
})
