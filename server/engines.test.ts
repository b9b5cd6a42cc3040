import { afterEach, describe, expect, it } from 'vitest'
import { startFakeComfyUI } from '../engines/comfyui/testing/fakeComfyUI'
import { EngineRefusedError, EngineUnavailableError } from '../engines/errors'
import { FAKE_CAPABILITIES } from '../engines/testing/fakeEngine'
import type { Engine } from '../engines/types'
import type { EngineRecord } from '../shared/engines'
import { readPngTextChunks } from '../shared/provenance/pngText'
import type { RunningServer } from './server'
import {
	api,
	buildBoard,
	buildServer,
	buildUser,
	tempDir,
	waitFor,
	waitForJob,
} from './test/factories'

const MONITOR = 'monitor-token-0123456789abcdef'

import { testBackend } from './test/testBackend'

// The engine interface as the server sees it: capabilities gate ops (422) and are exposed, the
// engine's record reaches the image and its provenance, and failures follow their class.

let tmp: ReturnType<typeof tempDir>
let server: RunningServer

afterEach(async () => {
	await server?.close()
	tmp?.remove()
})

async function start(engine: Engine) {
	tmp = tempDir()
	server = await buildServer({ dataDir: tmp.dir, backend: engine })
	const user = await buildUser(server)
	const board = await buildBoard(server, user)
	const as = api(server, user.cookie)
	const imagine = async () => {
		const res = await as.post(`/api/boards/${board.id}/jobs`, { op: 'imagine', prompt: 'a fox' })
		expect(res.status).toBe(202)
		return res.body.job.id as string
	}
	return { user, board, as, imagine }
}

/** The solid-colour test engine, narrowed or reporting sampler values. */
function engineWith(overrides: Partial<Engine> & { record?: Partial<EngineRecord> } = {}): Engine {
	const base = testBackend()
	const { record, ...rest } = overrides
	return {
		...base,
		async generate(request, options) {
			const images = await base.generate(request, options)
			return images.map((image) => ({ ...image, record: { ...image.record, ...record } }))
		},
		...rest,
	}
}

describe('engine capabilities', () => {
	it('lists the running engine with its capabilities and models', async () => {
		const { as } = await start(engineWith())
		const res = await as.get('/api/engines')
		expect(res.status).toBe(200)
		expect(res.body.engines).toEqual([
			expect.objectContaining({
				engine: 'test',
				defaultModel: 'solid',
				capabilities: FAKE_CAPABILITIES,
				models: [{ id: 'solid', name: 'solid', hash: null }],
				workers: 1,
			}),
		])
	})

	it('refuses with a 422 an op the engine cannot run, and says so in the op catalogue', async () => {
		const narrow = engineWith({
			capabilities: { ...FAKE_CAPABILITIES, ops: ['imagine', 'vary'], upscaleFactors: [] },
		})
		const { as, board, user, imagine } = await start(narrow)
		const job = await waitForJob(server, user, board.id, await imagine())
		const parentImageId = job.images[0].id
		const upscale = await as.post(`/api/boards/${board.id}/jobs`, {
			op: 'upscale',
			parentImageId,
			params: { mode: 'subtle', factor: 2 },
		})
		expect(upscale.status).toBe(422)
		expect(upscale.body.error.code).toBe('op_unsupported')
		expect(upscale.body.error.message).toMatch(/test cannot run upscale/)
		const vary = await as.post(`/api/boards/${board.id}/jobs`, {
			op: 'vary',
			parentImageId,
			params: { strength: 'subtle' },
		})
		expect(vary.status).toBe(202)

		const ops = (await as.get('/api/ops')).body.ops as { name: string; offered: boolean }[]
		const offered = Object.fromEntries(ops.map((o) => [o.name, o.offered]))
		expect(offered).toMatchObject({ imagine: true, vary: true, upscale: false, pan: false })
	})

	it('refuses an upscale factor the engine does not offer', async () => {
		const twoOnly = engineWith({ capabilities: { ...FAKE_CAPABILITIES, upscaleFactors: [2] } })
		const { as, board, user, imagine } = await start(twoOnly)
		const job = await waitForJob(server, user, board.id, await imagine())
		const body = { op: 'upscale', parentImageId: job.images[0].id }
		const x4 = await as.post(`/api/boards/${board.id}/jobs`, {
			...body,
			params: { mode: 'subtle', factor: 4 },
		})
		expect(x4.status).toBe(422)
		expect(x4.body.error.message).toMatch(/×4/)
		const x2 = await as.post(`/api/boards/${board.id}/jobs`, {
			...body,
			params: { mode: 'subtle', factor: 2 },
		})
		expect(x2.status).toBe(202)
	})
})

describe("the engine's record", () => {
	it('is stored with the image and written into both provenance chunks', async () => {
		const sampled = engineWith({
			record: {
				model: 'sdxl_base_1.0.safetensors',
				modelHash: '31e35c80fc',
				sampler: 'dpmpp_2m',
				scheduler: 'karras',
				steps: 30,
				cfg: 6.5,
				denoise: 1,
				extras: { promptId: 'abc' },
			},
		})
		const { as, board, user, imagine } = await start(sampled)
		const job = await waitForJob(server, user, board.id, await imagine())
		const image = (await as.get(`/api/boards/${board.id}/images/${job.images[0].id}`)).body.image
		expect(image.model).toBe('sdxl_base_1.0.safetensors')
		expect(image.engine).toMatchObject({ sampler: 'dpmpp_2m', steps: 30, seed: image.seed })

		const res = await fetch(
			`${server.url}/api/boards/${board.id}/images/${image.id}/file?size=full`,
			{ headers: { cookie: user.cookie } },
		)
		const chunks = readPngTextChunks(new Uint8Array(await res.arrayBuffer()))
		const parameters = chunks.find((c) => c.keyword === 'parameters')?.text ?? ''
		expect(parameters).toContain(
			`Steps: 30, Sampler: dpmpp_2m, Schedule type: karras, CFG scale: 6.5, Seed: ${image.seed}`,
		)
		expect(parameters).toContain('Model hash: 31e35c80fc, Model: sdxl_base_1.0.safetensors')
		expect(parameters).toContain('Denoising strength: 1')
		const arbor = JSON.parse(chunks.find((c) => c.keyword === 'arbor')?.text ?? '{}')
		expect(arbor.engine).toMatchObject({ cfg: 6.5, extras: { promptId: 'abc' } })
	})

	it('writes no seed into the infotext when the engine does not honour seeds', async () => {
		const seedless = engineWith({ record: { seed: null } })
		const { board, user, imagine } = await start(seedless)
		const job = await waitForJob(server, user, board.id, await imagine())
		const res = await fetch(
			`${server.url}/api/boards/${board.id}/images/${job.images[0].id}/file?size=full`,
			{ headers: { cookie: user.cookie } },
		)
		const chunks = readPngTextChunks(new Uint8Array(await res.arrayBuffer()))
		expect(chunks.find((c) => c.keyword === 'parameters')?.text).not.toMatch(/Seed:/)
	})
})

describe('engine failures in embedded mode', () => {
	it("fails a refusal at once, refunds it and shows the engine's message", async () => {
		const refusing = testBackend({
			failures: 99,
			error: () => new EngineRefusedError('policy', 'openai: Your request was rejected', 400),
		})
		const { as, board, user, imagine } = await start(refusing)
		const before = (await as.get('/api/me')).body.credits.balance
		const failed = await waitForJob(server, user, board.id, await imagine(), 'failed')
		expect(failed.error).toBe('openai: Your request was rejected')
		expect(refusing.calls()).toBe(1)
		expect((await as.get('/api/me')).body.credits.balance).toBe(before)
	})

	it('retries out-of-memory and unreachable engines with backoff, then succeeds', async () => {
		let calls = 0
		const errors = [
			new EngineUnavailableError('out_of_memory', 'comfyui: CUDA out of memory'),
			new EngineUnavailableError('unavailable', 'comfyui is unreachable (ECONNREFUSED)'),
		]
		const base = testBackend()
		const flaky: Engine = {
			...base,
			async generate(request, options) {
				const err = errors[calls++]
				if (err) throw err
				return base.generate(request, options)
			},
		}
		const { board, user, imagine } = await start(flaky)
		const done = await waitForJob(server, user, board.id, await imagine())
		expect(done.attempts).toBe(3)
		expect(calls).toBe(3)
	})
})

describe('ARBOR_BACKEND=comfyui in embedded mode', () => {
	it('runs jobs on ComfyUI and records its sampler values with the images', async () => {
		const fake = await startFakeComfyUI()
		try {
			tmp = tempDir()
			server = await buildServer({
				dataDir: tmp.dir,
				env: {
					ARBOR_BACKEND: 'comfyui',
					ARBOR_COMFYUI_URL: fake.url,
					ARBOR_METRICS_TOKEN: MONITOR,
				},
			})
			const user = await buildUser(server)
			const board = await buildBoard(server, user)
			const as = api(server, user.cookie)
			const res = await as.post(`/api/boards/${board.id}/jobs`, { op: 'imagine', prompt: 'a fox' })
			const job = await waitForJob(server, user, board.id, res.body.job.id)
			expect(fake.prompts).toHaveLength(1)
			const image = (await as.get(`/api/boards/${board.id}/images/${job.images[0].id}`)).body.image
			expect(image).toMatchObject({
				backend: 'comfyui',
				model: 'sd_xl_base_1.0.safetensors',
				engine: {
					sampler: 'euler',
					steps: 25,
					cfg: 7,
					extras: { promptId: fake.prompts[0].promptId },
				},
			})
			const engines = (await as.get('/api/engines')).body.engines
			expect(engines[0]).toMatchObject({ engine: 'comfyui', capabilities: { previews: true } })

			// Health shows what was discovered: checkpoints, devices and free VRAM.
			const health = await waitFor('engine discovery in health', async () => {
				const res = await fetch(`${server.url}/api/health`, {
					headers: { authorization: `Bearer ${MONITOR}` },
				})
				const body = await res.json()
				return body.engines?.[0]?.health ? body : null
			})
			expect(health.engines[0]).toMatchObject({
				engine: 'comfyui',
				models: [
					{ id: 'sd_xl_base_1.0.safetensors', name: 'sd_xl_base_1.0.safetensors', hash: null },
					{ id: 'flux1-dev.safetensors', name: 'flux1-dev.safetensors', hash: null },
				],
				health: {
					version: '0.3.60',
					devices: [
						{ name: 'cuda:0 NVIDIA GeForce RTX 4090', type: 'cuda', vramFree: 21_474_836_480 },
					],
				},
			})
		} finally {
			await server?.close()
			await fake.close()
		}
	})
})
