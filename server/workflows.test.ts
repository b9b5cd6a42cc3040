import { afterEach, describe, expect, it } from 'vitest'
import { type FakeComfyUI, startFakeComfyUI } from '../engines/comfyui/testing/fakeComfyUI'
import type { RunningServer } from './server'
import { api, buildBoard, buildServer, buildUser, tempDir, waitForJob } from './test/factories'

// A team's own ComfyUI graph for an op: registered by an admin, checked against /object_info,
// then run (with Arbor's values in its bound inputs) for every job of that op.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer
let fake: FakeComfyUI

afterEach(async () => {
	await server?.close()
	await fake?.close()
	tmp?.remove()
})

/** An SDXL-style txt2img graph as ComfyUI's "Save (API format)" writes it, with its own values. */
const TEAM_GRAPH = {
	'4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'flux1-dev.safetensors' } },
	'6': { class_type: 'CLIPTextEncode', inputs: { text: 'placeholder', clip: ['4', 1] } },
	'7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] } },
	'5': { class_type: 'EmptyLatentImage', inputs: { width: 1024, height: 1024, batch_size: 1 } },
	'3': {
		class_type: 'KSampler',
		inputs: {
			model: ['4', 0],
			positive: ['6', 0],
			negative: ['7', 0],
			latent_image: ['5', 0],
			seed: 1,
			steps: 30,
			cfg: 4.5,
			sampler_name: 'dpmpp_2m',
			scheduler: 'karras',
			denoise: 1,
		},
	},
	'8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
	'9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'team' } },
}
const BINDINGS = {
	prompt: { node: '6', input: 'text' },
	negativePrompt: { node: '7', input: 'text' },
	seed: { node: '3', input: 'seed' },
	width: { node: '5', input: 'width' },
	height: { node: '5', input: 'height' },
	batchSize: { node: '5', input: 'batch_size' },
}

async function start() {
	fake = await startFakeComfyUI()
	tmp = tempDir()
	server = await buildServer({
		dataDir: tmp.dir,
		env: { ARBOR_BACKEND: 'comfyui', ARBOR_COMFYUI_URL: fake.url },
	})
	const admin = await buildUser(server, 'Admin')
	const member = await buildUser(server, 'Member')
	return { admin, member, as: api(server, admin.cookie) }
}

describe('custom workflows', () => {
	it('registers a checked graph and runs it, with its bindings, for that op', async () => {
		const { admin, as } = await start()
		const saved = await as.raw('PUT', '/api/admin/workflows/imagine', {
			name: 'Team Flux',
			graph: TEAM_GRAPH,
			bindings: BINDINGS,
		})
		expect(saved.status).toBe(200)
		expect((await as.get('/api/admin/workflows')).body.workflows).toHaveLength(1)

		const board = await buildBoard(server, admin)
		const res = await as.post(`/api/boards/${board.id}/jobs`, {
			op: 'imagine',
			prompt: 'a heron at dawn',
			params: { aspectRatio: '1:1', negativePrompt: 'text' },
		})
		const job = await waitForJob(server, admin, board.id, res.body.job.id)
		const graph = fake.prompts[0].graph
		expect(graph['9'].inputs.filename_prefix).toBe('team')
		expect(graph['6'].inputs.text).toBe('a heron at dawn')
		expect(graph['7'].inputs.text).toBe('text')
		expect(graph['5'].inputs).toMatchObject({ width: 512, height: 512, batch_size: 4 })
		expect(graph['3'].inputs.seed).toBe(job.images[0].seed)
		const image = (await as.get(`/api/boards/${board.id}/images/${job.images[0].id}`)).body.image
		expect(image.engine).toMatchObject({
			sampler: 'dpmpp_2m',
			scheduler: 'karras',
			steps: 30,
			cfg: 4.5,
			extras: { workflow: `custom:${saved.body.workflow.id}` },
		})

		expect((await as.raw('DELETE', '/api/admin/workflows/imagine')).status).toBe(204)
		const again = await as.post(`/api/boards/${board.id}/jobs`, { op: 'imagine', prompt: 'x' })
		await waitForJob(server, admin, board.id, again.body.job.id)
		expect(fake.prompts[1].graph['9']).toBeUndefined()
	})

	it('refuses a graph that does not fit ComfyUI or the op, saying why', async () => {
		const { as } = await start()
		const put = (op: string, body: unknown) => as.raw('PUT', `/api/admin/workflows/${op}`, body)
		const unknownNode = await put('imagine', {
			name: 'x',
			graph: { ...TEAM_GRAPH, '10': { class_type: 'FancyLoraStack', inputs: {} } },
			bindings: BINDINGS,
		})
		expect(unknownNode.status).toBe(422)
		expect(unknownNode.body.error.message).toMatch(/no node class FancyLoraStack/)
		const badBinding = await put('imagine', {
			name: 'x',
			graph: TEAM_GRAPH,
			bindings: { ...BINDINGS, seed: { node: '3', input: 'noise_seed' } },
		})
		expect(badBinding.status).toBe(422)
		expect(badBinding.body.error.message).toMatch(/KSampler \(node 3\) has no input noise_seed/)
		const noParent = await put('vary', { name: 'x', graph: TEAM_GRAPH, bindings: BINDINGS })
		expect(noParent.status).toBe(422)
		expect(noParent.body.error.message).toMatch(/bind parentImage/)
		expect((await put('imagine', { name: 'x', graph: TEAM_GRAPH })).status).toBe(400)
		expect(
			(await put('inpaint', { name: 'x', graph: TEAM_GRAPH, bindings: BINDINGS })).status,
		).toBe(404)
		expect((await as.get('/api/admin/workflows')).body.workflows).toEqual([])
	})

	it('is for admins only', async () => {
		const { member } = await start()
		const res = await api(server, member.cookie).raw('PUT', '/api/admin/workflows/imagine', {
			name: 'x',
			graph: TEAM_GRAPH,
			bindings: BINDINGS,
		})
		expect(res.status).toBe(403)
	})
})
