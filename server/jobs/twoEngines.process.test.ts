import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeComfyUI, startFakeComfyUI } from '../../engines/comfyui/testing/fakeComfyUI'
import { type FakeOpenAI, startFakeOpenAI } from '../../engines/openai/testing/fakeOpenAI'
import type { Image, Job, LineageStep } from '../../shared/api'
import { ArborProvenanceSchema } from '../../shared/provenance/arbor'
import { readPngTextChunks } from '../../shared/provenance/pngText'
import { jobShapeIds } from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import type { RunningServer } from '../server'
import {
	api,
	buildBoard,
	buildUser,
	connectBoard,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from '../test/factories'
import {
	buildQueueServer,
	dropPrefix,
	spawnWorker,
	uniquePrefix,
	type WorkerProcess,
} from '../test/queueMode'

// Two engines online at once, as a team would run them: an `npm run worker` on ComfyUI (the fake
// on port 0) and one on an OpenAI-style API (its fake). Both models are listed, a job runs on the
// engine of its model, steering keeps its engine unless another model is picked, lineage crosses
// engines with each step naming its engine and model, and ops an engine cannot run are neither
// offered for its nodes nor accepted.

const KEY = 'sk-two-engines-0123456789SECRET'
const GPT = 'gpt-image-1'
const SDXL = 'sd_xl_base_1.0.safetensors'
const MONITOR = 'monitor-token-0123456789abcdef'

describe('two engines online at once (queue mode)', () => {
	const tmp = tempDir()
	const prefix = uniquePrefix()
	let comfy: FakeComfyUI
	let openai: FakeOpenAI
	let server: RunningServer
	let owner: TestUser
	let boardId: string
	const workers: WorkerProcess[] = []

	beforeAll(async () => {
		comfy = await startFakeComfyUI()
		openai = await startFakeOpenAI({ apiKey: KEY })
		server = await buildQueueServer({
			dataDir: tmp.dir,
			prefix,
			env: { ARBOR_METRICS_TOKEN: MONITOR },
		})
		workers.push(
			...(await Promise.all([
				spawnWorker({
					serverUrl: server.url,
					prefix,
					env: {
						ARBOR_BACKEND: 'comfyui',
						ARBOR_COMFYUI_URL: comfy.url,
						ARBOR_WORKER_ID: 'worker-comfy',
					},
				}),
				spawnWorker({
					serverUrl: server.url,
					prefix,
					env: {
						ARBOR_BACKEND: 'openai',
						ARBOR_OPENAI_BASE_URL: `${openai.url}/v1`,
						ARBOR_OPENAI_API_KEY: KEY,
						ARBOR_OPENAI_MODEL: GPT,
						ARBOR_WORKER_ID: 'worker-openai',
						// Everything it says is read for the key (last test).
						LOG_LEVEL: 'trace',
					},
				}),
			])),
		)
		owner = await buildUser(server, 'Ines')
		boardId = (await buildBoard(server, owner)).id
	}, 120_000)
	afterAll(async () => {
		for (const worker of workers) await worker.stop('SIGKILL')
		await server?.close()
		await comfy?.close()
		await openai?.close()
		await dropPrefix(prefix)
		tmp.remove()
	})

	const as = () => api(server, owner.cookie)
	const jobsUrl = () => `/api/boards/${boardId}/jobs`
	const imageOf = async (id: string): Promise<Image> =>
		(await as().get(`/api/boards/${boardId}/images/${id}`)).body.image
	const done = (id: string) => waitForJob(server, owner, boardId, id, 'done', 90_000)
	const post = async (body: Record<string, unknown>, status = 202) => {
		const res = await as().post(jobsUrl(), body)
		expect(res.status, JSON.stringify(res.body)).toBe(status)
		return res.body
	}
	const vary = (parentImageId: string, model?: string) =>
		post({ op: 'vary', parentImageId, params: { strength: 'subtle' }, ...(model ? { model } : {}) })
	const arborChunk = async (imageId: string) => {
		const res = await fetch(
			`${server.url}/api/boards/${boardId}/images/${imageId}/file?size=full`,
			{
				headers: { cookie: owner.cookie },
			},
		)
		const chunks = readPngTextChunks(new Uint8Array(await res.arrayBuffer()))
		return ArborProvenanceSchema.parse(
			JSON.parse(chunks.find((c) => c.keyword === 'arbor')?.text ?? '{}'),
		)
	}

	it('lists both engines’ models, runs each job on its model’s engine and keeps it when steering', async () => {
		const models = await waitFor('both engines online', async () => {
			const listed = (await as().get('/api/models')).body.models as { id: string }[]
			return listed.some((m) => m.id === GPT) && listed.some((m) => m.id === SDXL) ? listed : null
		})
		expect(models).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ id: GPT, engine: 'openai', workers: 1 }),
				expect.objectContaining({ id: SDXL, engine: 'comfyui', workers: 1 }),
			]),
		)

		// Health (the monitor's detail) shows both engines with what each can do.
		const health = await (
			await fetch(`${server.url}/api/health`, { headers: { authorization: `Bearer ${MONITOR}` } })
		).json()
		expect(health.engines).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					engine: 'openai',
					capabilities: expect.objectContaining({ seeds: false, upscaleFactors: [] }),
				}),
				expect.objectContaining({
					engine: 'comfyui',
					capabilities: expect.objectContaining({ seeds: true }),
				}),
			]),
		)
		expect(JSON.stringify(health)).not.toContain(KEY.slice(-12))

		// An OpenAI imagine: the nearest size it paints (3:2 for a 16:9 ask) is the job's and the
		// node's, no seed is claimed, token usage is recorded.
		const client = connectBoard(server, boardId, owner)
		let root: Job
		try {
			const imagine = await post({
				op: 'imagine',
				prompt: 'a lighthouse at dusk',
				model: GPT,
				params: { aspectRatio: '16:9' },
			})
			expect(imagine.job).toMatchObject({ model: GPT, width: 1536, height: 1024 })
			root = await done(imagine.job.id)
			const node = await waitFor('the finished node', () => {
				const shape = client.get(jobShapeIds(root.id).node) as GenerationShape | undefined
				return shape?.props.status === 'done' ? shape : null
			})
			expect(node.props.aspect).toBeCloseTo(1.5)
			expect(node.props.candidates[0]).toMatchObject({ width: 1536, height: 1024 })
		} finally {
			client.destroy()
		}
		const first = await imageOf(root.images[0].id)
		expect(first).toMatchObject({ backend: 'openai', model: GPT, width: 1536, height: 1024 })
		expect(first.worker?.id).toBe('worker-openai')
		expect(first.engine).toMatchObject({
			engine: 'openai',
			seed: null,
			extras: { seedsHonoured: false, engineSize: '1536x1024' },
		})
		expect(first.engine?.extras.totalTokens).toBeGreaterThan(0)

		// Varied on ComfyUI by picking its model: the lineage crosses engines.
		const promptsBefore = comfy.prompts.length
		const crossed = await vary(first.id, SDXL)
		expect(crossed.job.model).toBe(SDXL)
		const crossedImage = await imageOf((await done(crossed.job.id)).images[0].id)
		expect(crossedImage).toMatchObject({ backend: 'comfyui', model: SDXL })
		expect(crossedImage.worker?.id).toBe('worker-comfy')
		expect(comfy.prompts.length).toBe(promptsBefore + 1)

		// A plain vary keeps the engine of what it steers, on either side.
		const onComfy = await vary(crossedImage.id)
		expect(onComfy.job.model).toBe(SDXL)
		const onComfyImage = await imageOf((await done(onComfy.job.id)).images[0].id)
		expect(onComfyImage).toMatchObject({ backend: 'comfyui', model: SDXL })
		const onOpenAI = await vary(first.id)
		expect(onOpenAI.job.model).toBe(GPT)
		const onOpenAIImage = await imageOf((await done(onOpenAI.job.id)).images[0].id)
		expect(onOpenAIImage).toMatchObject({ backend: 'openai', model: GPT })
		expect(onOpenAIImage.worker?.id).toBe('worker-openai')

		// Provenance names each step's engine and model along the lineage…
		const lineage = (await as().get(`/api/boards/${boardId}/images/${onComfyImage.id}/lineage`))
			.body.lineage as LineageStep[]
		expect(lineage.map((s) => [s.op, s.engine, s.model])).toEqual([
			['imagine', 'openai', GPT],
			['vary', 'comfyui', SDXL],
			['vary', 'comfyui', SDXL],
		])
		// …with no seed claimed for the step whose engine ignores seeds.
		expect(lineage[0].seed).toBeNull()
		expect(lineage[1].seed).toEqual(expect.any(Number))
		// …and in the arbor chunk each downloaded PNG carries, parent included.
		const chunk = await arborChunk(crossedImage.id)
		expect(chunk).toMatchObject({ backend: 'comfyui', model: SDXL, engine: { engine: 'comfyui' } })
		expect(chunk.parents).toEqual([{ imageId: first.id, sha256: first.sha256 }])
		expect(await arborChunk(first.id)).toMatchObject({
			backend: 'openai',
			model: GPT,
			engine: { engine: 'openai', seed: null, extras: { seedsHonoured: false } },
		})
		// The OpenAI worker's key stays in that process: nothing it announces carries it.
		for (const path of ['/api/engines', '/api/models', `/api/boards/${boardId}/lineage.json`])
			expect(JSON.stringify((await as().get(path)).body)).not.toContain(KEY.slice(-12))
	}, 240_000)

	it('neither offers nor accepts an upscale of an OpenAI-made node, and does on ComfyUI', async () => {
		const offered = async (model: string) => {
			const ops = (await as().get(`/api/ops?width=1536&height=1024&model=${model}`)).body.ops as {
				name: string
				offered: boolean
				engines: string[]
			}[]
			return Object.fromEntries(ops.map((o) => [o.name, o.offered]))
		}
		expect(await offered(GPT)).toMatchObject({ vary: true, zoom_out: true, upscale: false })
		expect(await offered(SDXL)).toMatchObject({ vary: true, upscale: true })

		const root = await done(
			(await post({ op: 'imagine', prompt: 'a quiet harbour', model: GPT })).job.id,
		)
		const refused = await post(
			{ op: 'upscale', parentImageId: root.images[0].id, params: { mode: 'subtle', factor: 2 } },
			422,
		)
		expect(refused.error).toMatchObject({ code: 'op_unsupported' })
		expect(refused.error.message).toMatch(/openai cannot run upscale/)

		// Picking the ComfyUI model for it is another matter: ComfyUI upscales.
		const upscaled = await post({
			op: 'upscale',
			parentImageId: root.images[0].id,
			params: { mode: 'subtle', factor: 2 },
			model: SDXL,
		})
		const final = await imageOf((await done(upscaled.job.id)).images[0].id)
		expect(final).toMatchObject({ backend: 'comfyui' })
	}, 120_000)

	it('keeps the key out of what the OpenAI worker logs and reports, even on a 401 quoting it', async () => {
		openai.failNext(401)
		const refused = await post({ op: 'imagine', prompt: 'a locked door', model: GPT })
		const failed = await waitForJob(server, owner, boardId, refused.job.id, 'failed', 60_000)
		expect(failed.error).toMatch(/Incorrect API key provided: \[key\]/)
		expect(failed.attempts).toBe(1)
		const worker = workers[1]
		await waitFor('the worker logged the refusal', () => worker.output().includes('[key]'))
		for (const w of workers) expect(w.output()).not.toContain(KEY.slice(-12))
	}, 90_000)
})
