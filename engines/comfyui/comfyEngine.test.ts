import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { EngineConfigSchema } from '../config'
import { EngineRefusedError } from '../errors'
import { createEngine } from '../index'
import { toGenerateRequest } from '../request'
import type { Engine, PreviewImage } from '../types'
import { createComfyEngine } from './comfyEngine'
import { type FakeComfyOptions, type FakeComfyUI, startFakeComfyUI } from './testing/fakeComfyUI'

let fake: FakeComfyUI
let engine: Engine

afterEach(async () => {
	await engine?.close?.()
	await fake?.close()
})

async function start(options: FakeComfyOptions = {}, checkpoint?: string) {
	fake = await startFakeComfyUI(options)
	engine = createComfyEngine({ url: fake.url, pollMs: 100, checkpoint })
}

const parentPng = async () =>
	new Uint8Array(
		await sharp({ create: { width: 64, height: 64, channels: 3, background: '#369' } })
			.png()
			.toBuffer(),
	)

async function generate(input: Record<string, unknown>, signal = new AbortController().signal) {
	const previews: PreviewImage[] = []
	const request = await toGenerateRequest({
		op: 'imagine',
		prompt: 'a red fox',
		negativePrompt: 'blurry',
		params: {},
		seeds: [5, 6, 7, 8],
		width: 64,
		height: 64,
		parentPng: null,
		...input,
	})
	const images = await engine.generate(request, {
		signal,
		onProgress: () => {},
		onPreview: (p) => previews.push(p),
	})
	return { images, previews }
}

describe('ComfyUI adapter', () => {
	it("submits Arbor's prompt_id and client_id, lineage in extra_pnginfo, and records the run", async () => {
		await start()
		const { images } = await generate({})
		const [prompt] = fake.prompts
		expect(prompt.clientId).toMatch(/^[0-9a-f-]{36}$/)
		expect(prompt.extraPngInfo).toEqual({
			arbor: {
				op: 'imagine',
				model: 'sd_xl_base_1.0.safetensors',
				seeds: [5, 6, 7, 8],
				workflow: 'builtin:imagine',
			},
		})
		const sampler = Object.values(prompt.graph).find((n) => n.class_type === 'KSampler')
		expect(sampler?.inputs).toMatchObject({ seed: 5, steps: 25, cfg: 7, denoise: 1 })
		expect(images).toHaveLength(4)
		expect(images[2].record).toEqual({
			engine: 'comfyui',
			model: 'sd_xl_base_1.0.safetensors',
			modelHash: null,
			sampler: 'euler',
			scheduler: 'normal',
			steps: 25,
			cfg: 7,
			denoise: 1,
			seed: 5,
			extras: { promptId: prompt.promptId, workflow: 'builtin:imagine', batchIndex: 2 },
		})
	})

	it('uploads the parent and runs img2img at the strength asked, on the model asked', async () => {
		await start()
		await generate({
			op: 'vary',
			params: { strength: 'strong' },
			parentPng: await parentPng(),
			model: 'flux1-dev.safetensors',
		})
		const graph = fake.prompts[0].graph
		const load = Object.values(graph).find((n) => n.class_type === 'LoadImage')
		expect(fake.uploads.has(String(load?.inputs.image))).toBe(true)
		const nodes = Object.values(graph)
		expect(nodes.find((n) => n.class_type === 'KSampler')?.inputs.denoise).toBe(0.7)
		expect(nodes.find((n) => n.class_type === 'CheckpointLoaderSimple')?.inputs.ckpt_name).toBe(
			'flux1-dev.safetensors',
		)
	})

	it('pads for outpaint with the geometry computed in shared/ops/geometry', async () => {
		await start()
		const { images } = await generate({
			op: 'pan',
			params: { direction: 'left' },
			parentPng: await parentPng(),
			width: 96,
		})
		const pad = Object.values(fake.prompts[0].graph).find(
			(n) => n.class_type === 'ImagePadForOutpaint',
		)
		expect(pad?.inputs).toMatchObject({ left: 32, top: 0, right: 0, bottom: 0 })
		expect(images[0]).toMatchObject({ width: 96, height: 64 })
	})

	it("refuses with ComfyUI's own validation message when the graph is invalid", async () => {
		await start({}, 'missing.safetensors')
		const err = await generate({}).catch((e: unknown) => e)
		expect(err).toBeInstanceOf(EngineRefusedError)
		expect(String((err as Error).message)).toMatch(/ckpt_name: 'missing.safetensors' not in/)
	})

	it('follows an old build: its own prompt id, type-1 previews, /queue + /interrupt to cancel', async () => {
		await start({ legacy: true, stepMs: 100 })
		const { images, previews } = await generate({})
		expect(images).toHaveLength(4)
		expect(images[0].record.extras.promptId).toBe(fake.prompts[0].promptId)
		expect(previews.length).toBeGreaterThan(0)

		const controller = new AbortController()
		const run = generate({}, controller.signal)
		while (fake.prompts.length < 2) await new Promise((r) => setTimeout(r, 20))
		controller.abort(new Error('cancelled'))
		await expect(run).rejects.toThrow('cancelled')
		expect(fake.cancelled).toContain(fake.prompts[1].promptId)
	})

	it('waits for /history when it lags the success event', async () => {
		await start({ historyLagMs: 400 })
		const { images } = await generate({})
		expect(images).toHaveLength(4)
	})
})

describe('createEngine("comfyui")', () => {
	it('names ARBOR_COMFYUI_URL when it is missing', () => {
		const config = EngineConfigSchema.parse({ ARBOR_BACKEND: 'comfyui' })
		expect(() => createEngine(config)).toThrow(/ARBOR_COMFYUI_URL/)
		const url = 'http://127.0.0.1:8188'
		expect(createEngine({ ...config, ARBOR_COMFYUI_URL: url }).info.backend).toBe('comfyui')
	})
})
