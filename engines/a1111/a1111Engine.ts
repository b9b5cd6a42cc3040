import { randomUUID } from 'node:crypto'
import sharp from 'sharp'
import type { EngineCapabilities, EngineModel } from '../../shared/engines'
import { sizeFor } from '../../shared/engines'
import type { BackendInfo, GeneratedImage } from '../../shared/jobPayload'
import { OP_NAMES } from '../../shared/ops/catalogue'
import { readPngTextChunks, writePngTextChunks } from '../../shared/provenance/pngText'
import { EngineRefusedError } from '../errors'
import type { Engine, GenerateOptions, GenerateRequest } from '../types'
import {
	type A1111Sampling,
	CREATIVE_UPSCALE_DENOISE,
	commonBody,
	img2imgFields,
	OUTPAINT_DENOISE,
	outpaintInputs,
	parentGeneration,
	REMIX_DENOISE,
	VARY_DENOISE,
	VARY_SUBSEED_STRENGTH,
} from './a1111Bodies'
import { type A1111Http, createA1111Http } from './a1111Http'
import { interruptOwnTask, watchProgress } from './a1111Progress'
import { GenerationAnswerSchema, parseInfo, recordFromInfo, upscalerRecord } from './a1111Record'

export const A1111_CAPABILITIES: EngineCapabilities = {
	ops: [...OP_NAMES],
	size: { kind: 'multiple', multiple: 8, min: 64, max: 2048 },
	seeds: true,
	maxBatch: 4,
	previews: true,
	upscaleFactors: [2, 4],
}

export interface A1111EngineOptions {
	/** `ARBOR_A1111_URL`. */
	url: string
	/** `ARBOR_A1111_AUTH`, `user:pass` as given to `--api-auth`. */
	auth?: string | null
	/** How often progress is polled. Default 250 ms. */
	pollMs?: number
	/** How long a cancelled task still queued behind another client's is watched. Default 10 min. */
	cancelWatchMs?: number
	steps?: number
	cfg?: number
}

interface SdModel {
	title: string
	model_name: string
	hash: string | null
}

interface Discovery {
	models: SdModel[]
	samplers: string[]
	upscalers: string[]
	current: string
	at: number
}

const PREFERRED_SAMPLERS = ['DPM++ 2M', 'Euler a', 'Euler']
const PREFERRED_UPSCALERS = ['R-ESRGAN 4x+', 'ESRGAN_4x', 'Lanczos']
const DISCOVERY_TTL_MS = 30_000

/** A1111 runs one generation at a time: Arbor keeps one slot per URL, across engine objects. */
const slots = new Map<string, Promise<unknown>>()

async function inSlot<T>(url: string, signal: AbortSignal, run: () => Promise<T>): Promise<T> {
	const previous = slots.get(url) ?? Promise.resolve()
	const mine = previous
		.catch(() => undefined)
		.then(() => (signal.aborted ? Promise.reject(signal.reason) : run()))
	// The next caller waits for this one to settle, however it ends.
	slots.set(
		url,
		mine.catch(() => undefined),
	)
	return mine
}

/**
 * AUTOMATIC1111 / Forge over its `--api`: imagine/reroll as one txt2img batch of 4 from Arbor's
 * seed; vary as a native variation (same seed, new subseed) when the parent is A1111's own, else
 * img2img; remix, zoom out and pan as img2img (outpainting with a padded init image and a mask);
 * upscale through extra-single-image (subtle) or img2img at the larger size (creative). Progress
 * and live previews come from `/internal/progress` under Arbor's `force_task_id`.
 */
export function createA1111Engine(options: A1111EngineOptions): Engine {
	const http: A1111Http = createA1111Http(options)
	const pollMs = options.pollMs ?? 250
	const info: BackendInfo = { backend: 'a1111', model: 'a1111-checkpoint', version: '1.0.0' }
	let discovery: Discovery | null = null

	async function discover(signal?: AbortSignal): Promise<Discovery> {
		if (discovery && Date.now() - discovery.at < DISCOVERY_TTL_MS) return discovery
		const [models, samplers, upscalers, opts] = await Promise.all([
			http.get<SdModel[]>('/sdapi/v1/sd-models', signal),
			http.get<Array<{ name: string }>>('/sdapi/v1/samplers', signal),
			http.get<Array<{ name: string }>>('/sdapi/v1/upscalers', signal),
			http.get<{ sd_model_checkpoint?: string }>('/sdapi/v1/options', signal),
		])
		const current = opts.sd_model_checkpoint ?? models[0]?.title ?? ''
		discovery = {
			models,
			samplers: samplers.map((s) => s.name),
			upscalers: upscalers.map((u) => u.name),
			current,
			at: Date.now(),
		}
		info.model = models.find((m) => m.title === current)?.model_name ?? current
		return discovery
	}

	function checkpointFor(d: Discovery, wanted: string | null): SdModel {
		const name = wanted ?? d.current
		const found = d.models.find((m) => m.title === name || m.model_name === name || m.hash === name)
		// A1111 silently loads its first checkpoint for an unknown name: refuse instead.
		if (!found)
			throw new EngineRefusedError('validation', `AUTOMATIC1111 has no checkpoint "${name}".`)
		return found
	}

	async function finish(png: Uint8Array, width: number, height: number): Promise<Uint8Array> {
		const meta = await sharp(png).metadata()
		if (meta.width === width && meta.height === height) return png
		// A1111 paints multiples of 8: fit to Arbor's exact size, keeping its text chunks.
		const chunks = readPngTextChunks(png).map((c): [string, string] => [c.keyword, c.text])
		const resized = new Uint8Array(
			await sharp(png).resize(width, height, { fit: 'fill' }).png().toBuffer(),
		)
		return chunks.length ? writePngTextChunks(resized, chunks) : resized
	}

	async function generation(
		kind: 'txt2img' | 'img2img',
		body: Record<string, unknown>,
		request: GenerateRequest,
		opts: GenerateOptions,
		taskId: string,
	): Promise<GeneratedImage[]> {
		const stop = new AbortController()
		const watching = watchProgress({
			http,
			taskId,
			intervalMs: pollMs,
			stop: stop.signal,
			onProgress: opts.onProgress,
			onPreview: opts.onPreview,
		})
		let raw: unknown
		try {
			raw = await http.post<unknown>(`/sdapi/v1/${kind}`, body, opts.signal)
		} catch (err) {
			if (opts.signal.aborted) {
				// Our task may be running (interrupt it) or still queued (interrupt it when it starts).
				// Failures of this background watch go nowhere: the job is already cancelled.
				void interruptOwnTask({
					http,
					taskId,
					intervalMs: pollMs,
					giveUpMs: options.cancelWatchMs ?? 600_000,
				}).catch(() => undefined)
				throw opts.signal.reason
			}
			throw err
		} finally {
			stop.abort()
			await watching
		}
		// An interrupted generation still answers 200 with half-made images: never keep them.
		opts.signal.throwIfAborted()
		const answer = GenerationAnswerSchema.parse(raw)
		const engineInfo = parseInfo(answer.info)
		const first = engineInfo.index_of_first_image
		const count = request.seeds.length
		const pngs = answer.images.slice(first, first + count)
		if (pngs.length !== count)
			throw new Error(`AUTOMATIC1111 returned ${pngs.length} images for ${count}.`)
		const images = await Promise.all(
			pngs.map(async (encoded, index) => {
				const png = await finish(
					new Uint8Array(Buffer.from(encoded, 'base64')),
					request.width,
					request.height,
				)
				const record = recordFromInfo(engineInfo, index, taskId)
				return {
					index,
					seed: request.seeds[index],
					width: request.width,
					height: request.height,
					png,
					record,
				}
			}),
		)
		opts.onProgress(1)
		return images
	}

	async function upscaleSubtle(
		request: GenerateRequest & { op: 'upscale' },
		d: Discovery,
		opts: GenerateOptions,
	): Promise<GeneratedImage[]> {
		const upscaler =
			PREFERRED_UPSCALERS.find((u) => d.upscalers.includes(u)) ??
			d.upscalers.find((u) => u !== 'None') ??
			'Lanczos'
		const answer = await http.post<{ image: string }>(
			'/sdapi/v1/extra-single-image',
			{
				image: Buffer.from(request.parent.png).toString('base64'),
				upscaling_resize: request.width / request.parent.width,
				upscaler_1: upscaler,
			},
			opts.signal,
		)
		opts.signal.throwIfAborted()
		const png = await finish(
			new Uint8Array(Buffer.from(answer.image, 'base64')),
			request.width,
			request.height,
		)
		opts.onProgress(1)
		const record = upscalerRecord(upscaler)
		return [
			{
				index: 0,
				seed: request.seeds[0],
				width: request.width,
				height: request.height,
				png,
				record,
			},
		]
	}

	async function run(
		request: GenerateRequest,
		opts: GenerateOptions,
		d: Discovery,
		sampling: A1111Sampling,
	) {
		if (request.op === 'upscale' && request.params.mode === 'subtle')
			return upscaleSubtle(request, d, opts)
		const taskId = `arbor-${randomUUID()}`
		const size = sizeFor(A1111_CAPABILITIES.size, request)
		const base = commonBody({
			prompt: request.prompt,
			negativePrompt: request.negativePrompt,
			seed: request.seeds[0],
			count: request.seeds.length,
			size,
			sampling,
			taskId,
		})
		switch (request.op) {
			case 'imagine':
			case 'reroll':
				return generation('txt2img', base, request, opts, taskId)
			case 'vary': {
				const parent = parentGeneration(request.parent)
				const model = d.models.find((m) => m.title === sampling.checkpoint)
				if (parent && model?.hash && parent.modelHash === model.hash)
					return generation(
						'txt2img',
						{
							...base,
							seed: parent.seed,
							subseed: request.seeds[0],
							subseed_strength: VARY_SUBSEED_STRENGTH[request.params.strength],
						},
						request,
						opts,
						taskId,
					)
				return generation(
					'img2img',
					{
						...base,
						...(await img2imgFields({
							init: request.parent.png,
							denoise: VARY_DENOISE[request.params.strength],
						})),
					},
					request,
					opts,
					taskId,
				)
			}
			case 'remix':
				return generation(
					'img2img',
					{
						...base,
						...(await img2imgFields({ init: request.parent.png, denoise: REMIX_DENOISE })),
					},
					request,
					opts,
					taskId,
				)
			case 'zoom_out':
			case 'pan': {
				const { init, mask } = await outpaintInputs(request.parent, request.outpaint, request)
				return generation(
					'img2img',
					{
						...base,
						...(await img2imgFields({
							init,
							mask,
							denoise: OUTPAINT_DENOISE,
							maskBlur: request.outpaint.feather,
						})),
					},
					request,
					opts,
					taskId,
				)
			}
			case 'upscale':
				return generation(
					'img2img',
					{
						...base,
						...(await img2imgFields({
							init: request.parent.png,
							denoise: CREATIVE_UPSCALE_DENOISE,
						})),
					},
					request,
					opts,
					taskId,
				)
		}
	}

	return {
		info,
		capabilities: A1111_CAPABILITIES,
		async models(opts): Promise<EngineModel[]> {
			const d = await discover(opts?.signal)
			return d.models.map((m) => ({ id: m.title, name: m.model_name, hash: m.hash ?? null }))
		},
		async generate(request, opts) {
			opts.signal.throwIfAborted()
			const d = await discover(opts.signal)
			const checkpoint = checkpointFor(d, request.model)
			const sampler = PREFERRED_SAMPLERS.find((s) => d.samplers.includes(s)) ?? d.samplers[0]
			const sampling: A1111Sampling = {
				sampler,
				steps: options.steps ?? 25,
				cfg: options.cfg ?? 7,
				checkpoint: checkpoint.title,
			}
			return inSlot(http.url, opts.signal, () => run(request, opts, d, sampling))
		},
	}
}
