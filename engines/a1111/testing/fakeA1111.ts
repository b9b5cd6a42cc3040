import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { z } from 'zod'
import { listen, readBody, sendJson } from '../../testing/fakeHttp'
import {
	type Canvas,
	decodeMask,
	decodeResized,
	paint,
	previewJpeg,
	repaint,
} from '../../testing/fakePaint'
import { buildAnswer, upscaleAnswer } from './fakeA1111Answer'
import {
	decodeBase64Image,
	ExtraSingleImageSchema,
	exceptionBody,
	type FakeModel,
	fakeModel,
	type Img2Img,
	Img2ImgSchema,
	ProgressRequestSchema,
	SAMPLERS,
	type Txt2Img,
	Txt2ImgSchema,
	UPSCALERS,
	validationDetail,
} from './fakeA1111Wire'

const CUDA_OOM =
	'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 8.00 GiB total capacity; 6.91 GiB already allocated)'

/** What the next generation does instead of succeeding. */
export type FakeA1111Failure = 'error' | 'oom' | 'hang'

export interface FakeA1111Options {
	/** `--api-auth user:pass`: every /sdapi route then needs HTTP Basic. */
	auth?: string
	/** Time per sampling step. Default 2 ms. */
	stepMs?: number
	models?: FakeModel[]
}

export interface FakeA1111 {
	url: string
	/** Every /sdapi and /internal request, in arrival order, JSON bodies parsed. */
	requests: Array<{ path: string; body: Record<string, unknown>; authorization?: string }>
	/** The task each /interrupt stopped (null when nothing ran). */
	interrupts: Array<string | null>
	/** The task id holding the lock now. */
	currentTask(): string | null
	/** The next generation fails this way (queued; one per call). */
	failNext(failure: FakeA1111Failure): void
	/** Sampling stops advancing (the task stays active) until release(). */
	hold(): void
	release(): void
	close(): Promise<void>
}

/**
 * A fake AUTOMATIC1111 (`--api`) speaking its wire format as a real HTTP server on port 0: txt2img
 * and img2img answer synchronously under ONE global lock (a client hanging up does not dequeue its
 * request, as in A1111), per-task progress with live previews through `force_task_id` +
 * `/internal/progress`, a global `/interrupt`, `/extra-single-image`, discovery routes, Basic auth,
 * A1111's fallback to the first checkpoint for an unknown one, and failure modes.
 */
export async function startFakeA1111(options: FakeA1111Options = {}): Promise<FakeA1111> {
	const stepMs = options.stepMs ?? 2
	const models = options.models ?? [
		fakeModel('v1-5-pruned-emaonly', '6ce0161689'),
		fakeModel('sdxl_base_1.0', '31e35c80fc'),
	]
	const opts: Record<string, unknown> = {
		sd_model_checkpoint: models[0].title,
		return_grid: true,
		live_previews_enable: true,
		show_progress_every_n_steps: 1,
		samples_format: 'png',
	}
	const requests: FakeA1111['requests'] = []
	const interrupts: FakeA1111['interrupts'] = []
	const failures: FakeA1111Failure[] = []
	const pending = new Set<string>()
	const finished: string[] = []
	let lock: Promise<void> = Promise.resolve()
	let current: string | null = null
	let closed = false
	let held = false
	const state = {
		jobCount: 0,
		jobNo: 0,
		step: 0,
		steps: 0,
		interrupted: false,
		preview: null as Canvas | null,
		previewId: 0,
		start: 0,
	}
	let taskCounter = 0

	function checkAuth(req: IncomingMessage): boolean {
		if (!options.auth) return true
		const header = req.headers.authorization ?? ''
		if (!header.startsWith('Basic ')) return false
		const given = Buffer.from(Buffer.from(header.slice(6), 'base64').toString())
		const wanted = Buffer.from(options.auth)
		return given.length === wanted.length && timingSafeEqual(given, wanted)
	}

	function resolveModel(name: unknown): FakeModel {
		const wanted = typeof name === 'string' ? name : String(opts.sd_model_checkpoint)
		const found = models.find((m) =>
			[m.title, m.model_name, m.hash, `${m.model_name}.safetensors`].includes(wanted),
		)
		// A1111's select_checkpoint: an unknown checkpoint silently loads the first one.
		return found ?? models[0]
	}

	async function withLock<T>(task: string, run: () => Promise<T>): Promise<T> {
		pending.add(task)
		const previous = lock
		let unlock = () => {}
		lock = new Promise<void>((resolve) => {
			unlock = resolve
		})
		await previous
		pending.delete(task)
		current = task
		try {
			return await run()
		} finally {
			current = null
			finished.push(task)
			if (finished.length > 16) finished.shift()
			unlock()
		}
	}

	async function sample(batch: Canvas[], steps: number, jobNo: number): Promise<void> {
		state.jobNo = jobNo
		state.steps = steps
		for (let step = 1; step <= steps; step++) {
			await sleep(stepMs)
			if (state.interrupted || closed) return
			state.step = step
			state.preview = batch[0]
			state.previewId++
			// Held after a step, so a held task has progress and a preview to report.
			while (held && !state.interrupted && !closed) await sleep(5)
		}
	}

	async function generate(
		kind: 'txt2img' | 'img2img',
		body: Txt2Img | Img2Img,
		res: ServerResponse,
	) {
		const sampler = body.sampler_name ?? 'Euler a'
		if (!SAMPLERS.some((s) => s.name === sampler))
			return sendJson(
				res,
				404,
				exceptionBody('HTTPException', '404: Sampler not found', 'Sampler not found'),
			)
		const task = body.force_task_id ?? `task(${++taskCounter})`
		await withLock(task, async () => {
			const failure = failures.shift()
			state.interrupted = false
			state.jobCount = body.n_iter
			state.step = 0
			state.preview = null
			state.start = Date.now()
			if (failure === 'hang') {
				state.steps = body.steps
				while (!closed) await sleep(20)
				return
			}
			const model = resolveModel(body.override_settings.sd_model_checkpoint)
			const width = Math.floor(body.width / 8) * 8
			const height = Math.floor(body.height / 8) * 8
			const seed = body.seed === -1 ? Math.floor(Math.random() * 2 ** 32) : body.seed
			const subseed = body.subseed === -1 ? Math.floor(Math.random() * 2 ** 32) : body.subseed
			const count = body.batch_size * body.n_iter
			const allSeeds = Array.from(
				{ length: count },
				(_, i) => seed + (body.subseed_strength === 0 ? i : 0),
			)
			const allSubseeds = Array.from({ length: count }, (_, i) => subseed + i)
			const i2i = kind === 'img2img' ? (body as Img2Img) : null
			const init = i2i
				? await decodeResized(decodeBase64Image(i2i.init_images[0]), width, height)
				: null
			const mask = i2i?.mask ? await decodeMask(decodeBase64Image(i2i.mask), width, height) : null
			const denoise = i2i ? i2i.denoising_strength : null
			const canvases = allSeeds.map((s, i) => {
				const painted = paint({
					width,
					height,
					prompt: body.prompt,
					model: model.model_name,
					seed: s,
					subseed: allSubseeds[i],
					subseedStrength: body.subseed_strength,
				})
				return init ? repaint(init, painted, denoise ?? 0.75, mask) : painted
			})
			for (let it = 0; it < body.n_iter; it++) {
				await sample(
					canvases.slice(it * body.batch_size, (it + 1) * body.batch_size),
					body.steps,
					it,
				)
				if (failure === 'oom')
					return sendJson(res, 500, exceptionBody('OutOfMemoryError', CUDA_OOM))
				if (failure === 'error')
					return sendJson(
						res,
						500,
						exceptionBody('RuntimeError', 'Expected all tensors to be on the same device'),
					)
				if (state.interrupted) break
			}
			const answer = await buildAnswer({
				body,
				canvases,
				model,
				sampler,
				seed,
				subseed,
				allSeeds,
				allSubseeds,
				width,
				height,
				denoise,
				returnGrid: opts.return_grid === true,
			})
			const { init_images: _i, mask: _m, ...echo } = body as Img2Img
			sendJson(res, 200, {
				images: answer.images,
				parameters: kind === 'img2img' ? { ...echo, init_images: null, mask: null } : body,
				info: answer.info,
			})
		})
	}

	async function progress(body: z.infer<typeof ProgressRequestSchema>, res: ServerResponse) {
		const task = body.id_task ?? ''
		const active = task === current
		const queued = pending.has(task)
		const completed = finished.includes(task)
		if (!active)
			return sendJson(res, 200, {
				active,
				queued,
				completed,
				progress: null,
				eta: null,
				live_preview: null,
				id_live_preview: -1,
				textinfo: queued ? 'In queue...' : 'Waiting...',
			})
		const fraction = Math.min(
			1,
			state.jobCount > 0 && state.steps > 0
				? (state.jobNo + state.step / state.steps) / state.jobCount
				: 0,
		)
		const elapsed = (Date.now() - state.start) / 1000
		let livePreview: string | null = null
		let previewId = body.id_live_preview
		if (body.live_preview && state.preview && state.previewId !== body.id_live_preview) {
			const jpeg = await previewJpeg(state.preview, state.steps ? state.step / state.steps : 0)
			livePreview = `data:image/jpeg;base64,${jpeg.toString('base64')}`
			previewId = state.previewId
		}
		sendJson(res, 200, {
			active,
			queued,
			completed,
			progress: fraction,
			eta: fraction > 0 ? elapsed / fraction - elapsed : null,
			live_preview: livePreview,
			id_live_preview: previewId,
			textinfo: `Step ${state.step}/${state.steps}`,
		})
	}

	async function extraSingleImage(raw: unknown, res: ServerResponse) {
		const parsed = ExtraSingleImageSchema.safeParse(raw)
		if (!parsed.success) return sendJson(res, 422, validationDetail(parsed.error))
		const body = parsed.data
		if (!UPSCALERS.some((u) => u.name === body.upscaler_1))
			return sendJson(
				res,
				500,
				exceptionBody('AssertionError', `could not find upscaler named ${body.upscaler_1}`),
			)
		await withLock(`extras(${++taskCounter})`, async () => {
			sendJson(res, 200, await upscaleAnswer(body))
		})
	}

	const listening = await listen(async (req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname
		const text = (await readBody(req)).toString()
		let body: Record<string, unknown> = {}
		try {
			body = text ? JSON.parse(text) : {}
		} catch {
			return sendJson(res, 422, {
				detail: [{ loc: ['body'], msg: 'invalid JSON', type: 'value_error.jsondecode' }],
			})
		}
		requests.push({ path, body, authorization: req.headers.authorization })
		if (path === '/internal/progress' && req.method === 'POST') {
			const parsed = ProgressRequestSchema.safeParse(body)
			return parsed.success
				? progress(parsed.data, res)
				: sendJson(res, 422, validationDetail(parsed.error))
		}
		if (!path.startsWith('/sdapi/v1/')) return sendJson(res, 404, { detail: 'Not Found' })
		if (!checkAuth(req)) {
			res.setHeader('WWW-Authenticate', 'Basic')
			return sendJson(
				res,
				401,
				exceptionBody(
					'HTTPException',
					'401: Incorrect username or password',
					'Incorrect username or password',
				),
			)
		}
		const route = `${req.method} ${path.slice('/sdapi/v1'.length)}`
		switch (route) {
			case 'POST /txt2img':
			case 'POST /img2img': {
				const parsed = (route === 'POST /txt2img' ? Txt2ImgSchema : Img2ImgSchema).safeParse(body)
				if (!parsed.success) return sendJson(res, 422, validationDetail(parsed.error))
				return generate(route === 'POST /txt2img' ? 'txt2img' : 'img2img', parsed.data, res)
			}
			case 'POST /extra-single-image':
				return extraSingleImage(body, res)
			case 'POST /interrupt':
				interrupts.push(current)
				if (current) state.interrupted = true
				return sendJson(res, 200, {})
			case 'GET /progress':
				return sendJson(res, 200, {
					progress: state.steps ? state.step / state.steps : 0,
					eta_relative: 0,
					state: {
						interrupted: state.interrupted,
						job_count: state.jobCount,
						job_no: state.jobNo,
						sampling_step: state.step,
						sampling_steps: state.steps,
					},
					current_image: null,
					textinfo: null,
					current_task: current,
				})
			case 'GET /sd-models':
				return sendJson(res, 200, models)
			case 'GET /samplers':
				return sendJson(res, 200, SAMPLERS)
			case 'GET /upscalers':
				return sendJson(res, 200, UPSCALERS)
			case 'GET /options':
				return sendJson(res, 200, opts)
			case 'POST /options':
				Object.assign(opts, body)
				return sendJson(res, 200, null)
			default:
				return sendJson(res, 404, { detail: 'Not Found' })
		}
	})

	return {
		url: listening.url,
		requests,
		interrupts,
		currentTask: () => current,
		failNext: (failure) => {
			failures.push(failure)
		},
		hold: () => {
			held = true
		},
		release: () => {
			held = false
		},
		close: async () => {
			closed = true
			await listening.close()
		},
	}
}
