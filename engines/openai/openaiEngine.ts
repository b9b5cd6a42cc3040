import OpenAI, { toFile } from 'openai'
import sharp from 'sharp'
import type { EngineCapabilities } from '../../shared/engines'
import { samplerlessRecord, sizeFor } from '../../shared/engines'
import type { BackendInfo, GeneratedImage } from '../../shared/jobPayload'
import type { Dimensions } from '../../shared/ops/geometry'
import { EngineRefusedError, EngineUnavailableError, networkError } from '../errors'
import type { Engine, GenerateRequest } from '../types'

const ENGINE = 'OpenAI Images'

export const OPENAI_CAPABILITIES: EngineCapabilities = {
	// No upscale: the Images API has none, so the UI does not offer it on these nodes.
	ops: ['imagine', 'reroll', 'vary', 'remix', 'zoom_out', 'pan'],
	size: {
		kind: 'fixed',
		sizes: [
			{ width: 1024, height: 1024 },
			{ width: 1536, height: 1024 },
			{ width: 1024, height: 1536 },
		],
	},
	seeds: false,
	maxBatch: 4,
	previews: false,
	upscaleFactors: [],
}

export interface OpenAIEngineOptions {
	/** `ARBOR_OPENAI_BASE_URL`, e.g. https://api.openai.com/v1 or a compatible server's. */
	baseURL: string
	/** `ARBOR_OPENAI_API_KEY`: read from the environment only, never stored, logged or sent on. */
	apiKey: string
	/** `ARBOR_OPENAI_MODEL`, e.g. gpt-image-1. */
	model: string
}

const POLICY_CODES = new Set(['moderation_blocked', 'content_policy_violation'])

/** Whatever an error says, without the key (OpenAI's 401 echoes part of it). */
function redact(text: string, apiKey: string): string {
	return text
		.split(apiKey)
		.join('[key]')
		.replace(/\bsk-[A-Za-z0-9_*-]{6,}/g, '[key]')
}

/**
 * The SDK's errors, classified: 4xx are final (a retry bills again; a policy refusal says so),
 * 429 and 5xx are worth another try, a lost connection too. Retries are Arbor's (the SDK's own
 * are off), so a refused job is never sent twice.
 */
function classify(err: unknown, apiKey: string, signal: AbortSignal): unknown {
	if (signal.aborted) return signal.reason
	if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
		const message = `${ENGINE}: ${redact(err.message, apiKey)}`
		if (err.status === 429 || err.status >= 500)
			return new EngineUnavailableError('unavailable', message, err.status)
		const policy = typeof err.code === 'string' && POLICY_CODES.has(err.code)
		return new EngineRefusedError(
			policy ? 'policy' : err.status === 400 ? 'validation' : 'rejected',
			message,
			err.status,
		)
	}
	if (err instanceof OpenAI.APIConnectionError)
		return networkError(ENGINE, new Error(redact(err.message, apiKey)))
	return err
}

const sizeText = (s: Dimensions) =>
	`${s.width}x${s.height}` as '1024x1024' | '1536x1024' | '1024x1536'

/** The parent at the engine's size; for zoom out / pan, placed with transparent padding (the mask). */
async function editInput(
	request: Exclude<GenerateRequest, { op: 'imagine' | 'reroll' | 'upscale' }>,
	size: Dimensions,
) {
	if (request.op !== 'zoom_out' && request.op !== 'pan') {
		const png = await sharp(request.parent.png)
			.resize(size.width, size.height, { fit: 'fill' })
			.png()
			.toBuffer()
		return { image: png, mask: null }
	}
	const kx = size.width / request.width
	const ky = size.height / request.height
	const { placement } = request.outpaint
	const left = Math.round(placement.x * kx)
	const top = Math.round(placement.y * ky)
	const width = Math.min(size.width - left, Math.max(1, Math.round(placement.width * kx)))
	const height = Math.min(size.height - top, Math.max(1, Math.round(placement.height * ky)))
	const placed = await sharp(request.parent.png)
		.resize(width, height, { fit: 'fill' })
		.ensureAlpha(1)
		.png()
		.toBuffer()
	// Transparent where the model paints, opaque where the parent stays: image and mask at once.
	const padded = await sharp({
		create: {
			width: size.width,
			height: size.height,
			channels: 4,
			background: { r: 0, g: 0, b: 0, alpha: 0 },
		},
	})
		.composite([{ input: placed, left, top }])
		.png()
		.toBuffer()
	return { image: padded, mask: padded }
}

/**
 * OpenAI's Images API (GPT Image models) or a server that speaks it, through the official
 * `openai` package: imagine/reroll as generations (n = seeds), vary and remix as edits of the
 * parent, zoom out and pan as edits of a padded image with an alpha mask. No seeds (records say
 * null), a fixed size list (the nearest is painted, then fitted to Arbor's size; the record keeps
 * the engine's), token usage recorded.
 */
export function createOpenAIEngine(options: OpenAIEngineOptions): Engine {
	const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0 })
	const info: BackendInfo = { backend: 'openai', model: options.model, version: '1.0.0' }

	async function call(request: GenerateRequest, size: Dimensions, signal: AbortSignal) {
		const prompt = request.negativePrompt
			? `${request.prompt}\n\nAvoid: ${request.negativePrompt}`
			: request.prompt
		const common = { model: options.model, prompt, n: request.seeds.length, size: sizeText(size) }
		if (request.op === 'upscale')
			throw new EngineRefusedError('rejected', `${ENGINE} cannot upscale.`)
		if (!('parent' in request))
			return client.images.generate({ ...common, output_format: 'png' }, { signal })
		const { image, mask } = await editInput(request, size)
		return client.images.edit(
			{
				...common,
				image: [await toFile(image, 'image.png', { type: 'image/png' })],
				...(mask ? { mask: await toFile(mask, 'mask.png', { type: 'image/png' }) } : {}),
			},
			{ signal },
		)
	}

	return {
		info,
		capabilities: OPENAI_CAPABILITIES,
		async models() {
			return [{ id: options.model, name: options.model, hash: null }]
		},
		async generate(request, { signal, onProgress }) {
			signal.throwIfAborted()
			const size = sizeFor(OPENAI_CAPABILITIES.size, request)
			let answer: Awaited<ReturnType<typeof call>>
			try {
				answer = await call(request, size, signal)
			} catch (err) {
				throw classify(err, options.apiKey, signal)
			}
			signal.throwIfAborted()
			const data = answer.data ?? []
			if (data.length < request.seeds.length || data.some((d) => !d.b64_json))
				throw new EngineUnavailableError(
					'unavailable',
					`${ENGINE} returned ${data.length} images for ${request.seeds.length}.`,
				)
			const usage = answer.usage
			const images: GeneratedImage[] = await Promise.all(
				request.seeds.map(async (seed, index) => {
					const raw = Buffer.from(data[index].b64_json!, 'base64')
					const png = new Uint8Array(
						await sharp(raw)
							.resize(request.width, request.height, { fit: 'fill' })
							.png()
							.toBuffer(),
					)
					// Seeds are not honoured by this API: nothing to reproduce the image with.
					const record = samplerlessRecord(info.backend, options.model, null, {
						seedsHonoured: false,
						engineSize: sizeText(size),
						inputTokens: usage?.input_tokens ?? null,
						outputTokens: usage?.output_tokens ?? null,
						totalTokens: usage?.total_tokens ?? null,
					})
					return { index, seed, width: request.width, height: request.height, png, record }
				}),
			)
			onProgress(1)
			return images
		},
	}
}
