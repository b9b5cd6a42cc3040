import { ASPECT_RATIOS, type AspectRatio, SeedSchema } from '../ops/params'
import { ARBOR_KEYWORD, ArborProvenanceSchema, PARAMETERS_KEYWORD } from './arbor'
import { recallFromComfyPrompt } from './comfyui'
import { parseInfotext } from './infotext'
import type { PngTextChunk } from './pngText'

/** What a dropped PNG says about how it was made: enough to prefill a prompt card. */
export interface Recall {
	source: 'arbor' | 'a1111' | 'comfyui'
	prompt: string
	negativePrompt?: string
	/** Only when it fits Arbor's seeds (0 … 2^32 − 1); the raw value stays in `params`. */
	seed?: number
	width?: number
	height?: number
	/** Arbor's aspect ratio closest to width:height, when one is within 3%. */
	aspectRatio?: AspectRatio
	/** Everything else the source recorded (A1111: its pairs as written; ComfyUI: sampler inputs). */
	params: Record<string, string | number | boolean>
}

/** The ComfyUI SaveImage chunk holding the API-format graph. */
export const COMFYUI_PROMPT_KEYWORD = 'prompt'

function nearestAspectRatio(width?: number, height?: number): AspectRatio | undefined {
	if (!width || !height) return undefined
	let best: AspectRatio | undefined
	let bestError = 0.03
	for (const ratio of ASPECT_RATIOS) {
		const [w, h] = ratio.split(':').map(Number)
		const error = Math.abs(Math.log(width / height / (w / h)))
		if (error < bestError) {
			best = ratio
			bestError = error
		}
	}
	return best
}

function withSize(recall: Omit<Recall, 'aspectRatio' | 'seed'> & { seed?: number }): Recall {
	const seed = SeedSchema.safeParse(recall.seed).success ? recall.seed : undefined
	const aspectRatio = nearestAspectRatio(recall.width, recall.height)
	const { seed: _raw, ...rest } = recall
	return {
		...rest,
		...(seed === undefined ? {} : { seed }),
		...(aspectRatio ? { aspectRatio } : {}),
	}
}

function primitives(params: Record<string, unknown>): Record<string, string | number | boolean> {
	const out: Record<string, string | number | boolean> = {}
	for (const [key, value] of Object.entries(params))
		if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
			out[key] = value
	return out
}

function fromArbor(text: string): Recall | null {
	let json: unknown
	try {
		json = JSON.parse(text)
	} catch {
		return null
	}
	const parsed = ArborProvenanceSchema.safeParse(json)
	if (!parsed.success) return null
	const p = parsed.data
	return withSize({
		source: 'arbor',
		prompt: p.prompt,
		...(p.negativePrompt ? { negativePrompt: p.negativePrompt } : {}),
		seed: p.seed,
		width: p.width,
		height: p.height,
		params: { ...primitives(p.params), op: p.op, model: p.model },
	})
}

function fromA1111(text: string): Recall | null {
	const info = parseInfotext(text)
	if (Object.keys(info.params).length === 0 && !info.prompt) return null
	const size = /^(\d+)x(\d+)$/.exec(info.params.Size ?? '')
	const seed = /^\d+$/.test(info.params.Seed ?? '') ? Number(info.params.Seed) : undefined
	return withSize({
		source: 'a1111',
		prompt: info.prompt,
		...(info.negativePrompt ? { negativePrompt: info.negativePrompt } : {}),
		seed,
		...(size ? { width: Number(size[1]), height: Number(size[2]) } : {}),
		params: info.params,
	})
}

function fromComfy(text: string): Recall | null {
	const comfy = recallFromComfyPrompt(text)
	return comfy && withSize({ source: 'comfyui', ...comfy })
}

/**
 * Recognises how a PNG was made from its text chunks: Arbor's `arbor` record first, then
 * A1111's `parameters` infotext, then ComfyUI's `prompt` graph. Null when none is there or
 * none parses.
 *
 * @example recallFromPng(readPngTextChunks(bytes))?.prompt
 */
export function recallFromPng(chunks: ReadonlyArray<PngTextChunk>): Recall | null {
	const text = (keyword: string) => chunks.find((c) => c.keyword.toLowerCase() === keyword)?.text
	const readers: Array<[string, (text: string) => Recall | null]> = [
		[ARBOR_KEYWORD, fromArbor],
		[PARAMETERS_KEYWORD, fromA1111],
		[COMFYUI_PROMPT_KEYWORD, fromComfy],
	]
	for (const [keyword, read] of readers) {
		const found = text(keyword)
		const recall = found === undefined ? null : read(found)
		if (recall) return recall
	}
	return null
}
