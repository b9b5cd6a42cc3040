import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import sharp from 'sharp'
import { z } from 'zod'
import { listen, readBody, sendJson } from '../../testing/fakeHttp'
import { type Canvas, encodePng, paint } from '../../testing/fakePaint'

/** What the next image request does instead of succeeding. A 401 echoes the key it was given
 * (OpenAI's masks most of it; echoing all of it tests that Arbor never passes it on). */
export type FakeOpenAIFailure = 401 | 429 | 500 | 503 | 'hang'

export interface FakeOpenAIOptions {
	apiKey: string
	/** Prompts matching this are refused as the safety system does (400 moderation_blocked). */
	refuse?: RegExp
	/** Models GET /v1/models lists and the image routes accept. Default gpt-image-1. */
	models?: string[]
}

export interface FakeOpenAIRequest {
	path: string
	authorization: string | undefined
	/** JSON body, or the multipart fields (files as {filename, type, size}). */
	fields: Record<string, unknown>
	/** The bytes of each file sent (an edit's `image[]` and `mask`), by field name. */
	files: Record<string, Uint8Array[]>
}

export interface FakeOpenAI {
	url: string
	requests: FakeOpenAIRequest[]
	/** Image requests that were answered 200 (each one billed). */
	billed(): number
	failNext(failure: FakeOpenAIFailure): void
	close(): Promise<void>
}

/** GPT Image models' sizes ('auto' picks 1024x1024 here). */
export const OPENAI_SIZES = ['1024x1024', '1536x1024', '1024x1536'] as const

const GenerationSchema = z.looseObject({
	model: z.string().default('dall-e-2'),
	prompt: z.string().min(1).max(32_000),
	n: z.coerce.number().int().min(1).max(10).default(1),
	size: z.string().default('auto'),
	quality: z.string().optional(),
	background: z.string().optional(),
	output_format: z.enum(['png', 'jpeg', 'webp']).default('png'),
	moderation: z.string().optional(),
})

function apiError(res: ServerResponse, status: number, error: Record<string, unknown>) {
	sendJson(res, status, { error: { param: null, code: null, ...error } })
}

async function readImageFile(file: File): Promise<Canvas & { alpha: Uint8Array }> {
	const bytes = new Uint8Array(await file.arrayBuffer())
	const { data, info } = await sharp(bytes)
		.ensureAlpha()
		.raw()
		.toBuffer({ resolveWithObject: true })
	const rgb = new Uint8Array(info.width * info.height * 3)
	const alpha = new Uint8Array(info.width * info.height)
	for (let p = 0; p < alpha.length; p++) {
		rgb.set(data.subarray(p * 4, p * 4 + 3), p * 3)
		alpha[p] = data[p * 4 + 3]
	}
	return { width: info.width, height: info.height, data: rgb, alpha }
}

/**
 * A fake OpenAI Images API (GPT Image models) as a real HTTP server on port 0: JSON generations,
 * multipart edits (image[] + an alpha mask: transparent = repaint), `{created, data:[{b64_json}],
 * usage}`, Bearer auth, the fixed size list, 400 safety refusals with `error.code`, 429 with
 * retry-after, 5xx and a hang. Answers are billed, so tests can prove a refusal is not retried.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeOpenAI> {
	const models = options.models ?? ['gpt-image-1']
	const requests: FakeOpenAIRequest[] = []
	const failures: FakeOpenAIFailure[] = []
	let billed = 0
	let closed = false

	function authorized(req: IncomingMessage): boolean {
		const given = Buffer.from(req.headers.authorization ?? '')
		const wanted = Buffer.from(`Bearer ${options.apiKey}`)
		return given.length === wanted.length && timingSafeEqual(given, wanted)
	}

	async function fields(req: IncomingMessage, raw: Buffer): Promise<Record<string, unknown>> {
		const type = req.headers['content-type'] ?? ''
		if (!type.startsWith('multipart/form-data')) return raw.length ? JSON.parse(raw.toString()) : {}
		const form = await new Request('http://x', {
			method: 'POST',
			headers: { 'content-type': type },
			body: new Uint8Array(raw),
		}).formData()
		const out: Record<string, unknown> = {}
		for (const [key, value] of form.entries()) {
			if (!key.endsWith('[]')) out[key] = value
			else out[key] = [...((out[key] as unknown[] | undefined) ?? []), value]
		}
		return out
	}

	async function images(path: string, body: Record<string, unknown>, res: ServerResponse) {
		const failure = failures.shift()
		if (failure === 'hang') {
			while (!closed) await sleep(20)
			return
		}
		if (failure === 401)
			return apiError(res, 401, {
				message: `Incorrect API key provided: ${options.apiKey}. You can find your API key at https://platform.openai.com/account/api-keys.`,
				type: 'invalid_request_error',
				code: 'invalid_api_key',
			})
		if (failure === 429) {
			res.setHeader('retry-after', '1')
			return apiError(res, 429, {
				message: 'Rate limit reached for gpt-image-1 on images per minute (IPM): Limit 5.',
				type: 'requests',
				code: 'rate_limit_exceeded',
			})
		}
		if (failure === 500 || failure === 503)
			return apiError(res, failure, {
				message: 'The server had an error while processing your request. Sorry about that!',
				type: 'server_error',
			})
		const parsed = GenerationSchema.safeParse(body)
		if (!parsed.success)
			return apiError(res, 400, {
				message: `Invalid request: ${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`,
				type: 'invalid_request_error',
				code: 'invalid_value',
			})
		const req = parsed.data
		if (!models.includes(req.model))
			return apiError(res, 400, {
				message: `The model '${req.model}' does not exist.`,
				type: 'invalid_request_error',
				param: 'model',
				code: 'model_not_found',
			})
		const size = req.size === 'auto' ? OPENAI_SIZES[0] : req.size
		if (!(OPENAI_SIZES as readonly string[]).includes(size))
			return apiError(res, 400, {
				message: `Invalid value: '${req.size}'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.`,
				type: 'invalid_request_error',
				param: 'size',
				code: 'invalid_value',
			})
		if (options.refuse?.test(req.prompt))
			return apiError(res, 400, {
				message:
					'Your request was rejected as a result of our safety system. Your request may contain content that is not allowed by our safety system.',
				type: 'image_generation_user_error',
				code: 'moderation_blocked',
			})
		const [width, height] = size.split('x').map(Number)
		let source: (Canvas & { alpha: Uint8Array }) | null = null
		let mask: Uint8Array | null = null
		if (path === '/v1/images/edits') {
			const files = (body['image[]'] ?? (body.image ? [body.image] : [])) as unknown[]
			if (!files.length || !(files[0] instanceof File))
				return apiError(res, 400, {
					message: "Missing required parameter: 'image'.",
					type: 'invalid_request_error',
					param: 'image',
					code: 'missing_required_parameter',
				})
			source = await readImageFile(files[0])
			if (body.mask instanceof File) {
				const m = await readImageFile(body.mask)
				if (m.width !== source.width || m.height !== source.height)
					return apiError(res, 400, {
						message: 'Invalid mask image: the mask must be the same size as the image.',
						type: 'invalid_request_error',
						param: 'mask',
						code: 'invalid_image',
					})
				mask = m.alpha
			}
		}
		const data = await Promise.all(
			Array.from({ length: req.n }, async (_, i) => {
				const painted = paint({
					width,
					height,
					prompt: req.prompt,
					model: req.model,
					seed: Math.floor(Math.random() * 2 ** 32) + i,
					subseed: 0,
					subseedStrength: 0,
				})
				const out = source ? await keepUnmasked(source, mask, painted) : painted
				return { b64_json: Buffer.from(await encodePng(out, [])).toString('base64') }
			}),
		)
		billed++
		const inputTokens = Math.ceil(req.prompt.length / 4) + (source ? 323 : 0)
		const outputTokens = req.n * Math.round((1056 * width * height) / (1024 * 1024))
		sendJson(res, 200, {
			created: Math.floor(Date.now() / 1000),
			background: 'opaque',
			output_format: req.output_format,
			quality: 'medium',
			size,
			data,
			usage: {
				input_tokens: inputTokens,
				input_tokens_details: {
					text_tokens: Math.ceil(req.prompt.length / 4),
					image_tokens: source ? 323 : 0,
				},
				output_tokens: outputTokens,
				total_tokens: inputTokens + outputTokens,
			},
		})
	}

	const listening = await listen(async (req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname
		const raw = await readBody(req)
		let body: Record<string, unknown>
		try {
			body = await fields(req, raw)
		} catch {
			return apiError(res, 400, {
				message: 'We could not parse the JSON body of your request.',
				type: 'invalid_request_error',
			})
		}
		requests.push({
			path,
			authorization: req.headers.authorization,
			fields: describe(body),
			files: await filesOf(body),
		})
		if (!authorized(req))
			return apiError(res, 401, {
				message: 'Incorrect API key provided. You can find your API key at your account page.',
				type: 'invalid_request_error',
				code: 'invalid_api_key',
			})
		if (req.method === 'GET' && path === '/v1/models')
			return sendJson(res, 200, {
				object: 'list',
				data: models.map((id) => ({
					id,
					object: 'model',
					created: 1_700_000_000,
					owned_by: 'system',
				})),
			})
		if (req.method === 'POST' && (path === '/v1/images/generations' || path === '/v1/images/edits'))
			return images(path, body, res)
		apiError(res, 404, {
			message: `Invalid URL (${req.method} ${path})`,
			type: 'invalid_request_error',
		})
	})

	return {
		url: listening.url,
		requests,
		billed: () => billed,
		failNext: (failure) => {
			failures.push(failure)
		},
		close: async () => {
			closed = true
			await listening.close()
		},
	}
}

/** The edit: the source where the mask is opaque, the new painting where it is transparent. */
async function keepUnmasked(
	source: Canvas,
	mask: Uint8Array | null,
	painted: Canvas,
): Promise<Canvas> {
	const resized = await sharp(source.data, {
		raw: { width: source.width, height: source.height, channels: 3 },
	})
		.resize(painted.width, painted.height, { fit: 'fill' })
		.raw()
		.toBuffer()
	const alpha = mask
		? await sharp(Buffer.from(mask), {
				raw: { width: source.width, height: source.height, channels: 1 },
			})
				.resize(painted.width, painted.height, { fit: 'fill' })
				// One channel out: sharp writes raw single-channel input back as three (sRGB), which
				// read as one would put each pixel's mask a third of the way along.
				.toColourspace('b-w')
				.raw()
				.toBuffer()
		: null
	const data = new Uint8Array(painted.data.length)
	for (let p = 0; p < painted.width * painted.height; p++) {
		// No mask: an edit repaints the whole image but keeps some of its look.
		const keep = alpha ? alpha[p] / 255 : 0.5
		for (let c = 0; c < 3; c++)
			data[p * 3 + c] = Math.round(resized[p * 3 + c] * keep + painted.data[p * 3 + c] * (1 - keep))
	}
	return { width: painted.width, height: painted.height, data }
}

/** The files of a multipart request, as bytes, so tests can read what an edit really sent. */
async function filesOf(body: Record<string, unknown>): Promise<Record<string, Uint8Array[]>> {
	const out: Record<string, Uint8Array[]> = {}
	for (const [key, value] of Object.entries(body))
		for (const file of Array.isArray(value) ? value : [value])
			if (file instanceof File)
				out[key] = [...(out[key] ?? []), new Uint8Array(await file.arrayBuffer())]
	return out
}

/** The recorded form of a request's fields: files named and sized (their bytes are in `files`). */
function describe(body: Record<string, unknown>): Record<string, unknown> {
	const one = (v: unknown) =>
		v instanceof File ? { filename: v.name, type: v.type, size: v.size } : v
	return Object.fromEntries(
		Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v.map(one) : one(v)]),
	)
}
