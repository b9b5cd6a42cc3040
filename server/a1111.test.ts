import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeA1111, startFakeA1111 } from '../engines/a1111/testing/fakeA1111'
import type { Image } from '../shared/api'
import { readPngTextChunks } from '../shared/provenance/pngText'
import type { RunningServer } from './server'
import {
	api,
	buildBoard,
	buildServer,
	buildUser,
	type TestUser,
	tempDir,
	waitFor,
	waitForJob,
} from './test/factories'

// ARBOR_BACKEND=a1111 end to end in embedded mode (the fake web UI on port 0): its checkpoints
// are the models listed, a picked one rides in override_settings, A1111's own values reach each
// image's record and the downloaded PNG's `parameters`, the stored PNG keeps A1111's infotext so a
// vary of its image is a native variation (its seed, a new subseed), and upscale subtle is
// extra-single-image.

const SDXL = 'sdxl_base_1.0.safetensors [31e35c80fc]'

describe('AUTOMATIC1111 behind the server', () => {
	const tmp = tempDir()
	let fake: FakeA1111
	let server: RunningServer
	let owner: TestUser
	let boardId: string

	beforeAll(async () => {
		fake = await startFakeA1111()
		server = await buildServer({
			dataDir: tmp.dir,
			env: { ARBOR_BACKEND: 'a1111', ARBOR_A1111_URL: fake.url },
		})
		owner = await buildUser(server, 'Aiko')
		boardId = (await buildBoard(server, owner)).id
	})
	afterAll(async () => {
		await server?.close()
		await fake?.close()
		tmp.remove()
	})

	const as = () => api(server, owner.cookie)
	const post = async (body: Record<string, unknown>) => {
		const res = await as().post(`/api/boards/${boardId}/jobs`, body)
		expect(res.status, JSON.stringify(res.body)).toBe(202)
		return waitForJob(server, owner, boardId, res.body.job.id, 'done', 30_000)
	}
	const imageOf = async (id: string): Promise<Image> =>
		(await as().get(`/api/boards/${boardId}/images/${id}`)).body.image
	const bodies = (path: string) => fake.requests.filter((r) => r.path === path).map((r) => r.body)

	it('lists its checkpoints, runs the one picked and records what A1111 says', async () => {
		const models = await waitFor('checkpoints discovered', async () => {
			const listed = (await as().get('/api/models')).body.models as { id: string }[]
			return listed.some((m) => m.id === SDXL) ? listed : null
		})
		expect(models).toEqual(
			expect.arrayContaining([expect.objectContaining({ id: SDXL, engine: 'a1111' })]),
		)

		const job = await post({ op: 'imagine', prompt: 'a tea house in rain', model: SDXL })
		expect(bodies('/sdapi/v1/txt2img').at(-1)).toMatchObject({
			seed: job.images[0].seed,
			batch_size: 4,
			override_settings: { sd_model_checkpoint: SDXL },
		})
		const image = await imageOf(job.images[1].id)
		expect(image).toMatchObject({
			backend: 'a1111',
			model: 'sdxl_base_1.0',
			engine: {
				engine: 'a1111',
				modelHash: '31e35c80fc',
				sampler: 'DPM++ 2M',
				steps: 25,
				cfg: 7,
				seed: job.images[1].seed,
			},
		})
		const res = await fetch(
			`${server.url}/api/boards/${boardId}/images/${image.id}/file?size=full`,
			{ headers: { cookie: owner.cookie } },
		)
		const parameters = readPngTextChunks(new Uint8Array(await res.arrayBuffer())).find(
			(c) => c.keyword === 'parameters',
		)?.text
		expect(parameters).toContain(`Sampler: DPM++ 2M, CFG scale: 7, Seed: ${job.images[1].seed}`)
		expect(parameters).toContain('Model hash: 31e35c80fc, Model: sdxl_base_1.0')

		// The stored PNG kept A1111's infotext: varying it is a native variation of its seed.
		const varied = await post({
			op: 'vary',
			parentImageId: image.id,
			params: { strength: 'strong' },
		})
		expect(varied.model).toBe(SDXL)
		expect(bodies('/sdapi/v1/txt2img').at(-1)).toMatchObject({
			seed: job.images[1].seed,
			subseed: varied.images[0].seed,
			subseed_strength: 0.6,
			override_settings: { sd_model_checkpoint: SDXL },
		})
		expect((await imageOf(varied.images[0].id)).engine).toMatchObject({
			seed: job.images[1].seed,
			extras: { subseed: varied.images[0].seed, subseedStrength: 0.6 },
		})

		const upscaled = await post({
			op: 'upscale',
			parentImageId: image.id,
			params: { mode: 'subtle', factor: 2 },
		})
		expect(bodies('/sdapi/v1/extra-single-image').at(-1)).toMatchObject({ upscaling_resize: 2 })
		expect((await imageOf(upscaled.images[0].id)).engine).toMatchObject({
			engine: 'a1111',
			extras: { upscaler: expect.any(String) },
		})
	}, 60_000)
})
