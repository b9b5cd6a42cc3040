import type { BackendInfo, GeneratedImage } from '../shared/jobPayload'
import type { OpName } from '../shared/ops/catalogue'

/**
 * What a backend is asked to make: one image per seed, each exactly `width` × `height`.
 *
 * Per op: imagine/reroll paint `prompt`; vary, remix, zoom_out, pan and upscale start from
 * `parentPng` (any size: the backend fits it); remix paints `prompt` over the parent's layout
 * (`sourcePrompt` is what the parent was made from); zoom_out and pan place the parent with
 * `parentPlacement` (shared/ops/geometry.ts) and paint the rest from `prompt`; upscale has one
 * seed and `params` {mode, factor}.
 */
export interface GenerateRequest {
	op: OpName
	prompt: string
	negativePrompt: string | null
	/** Op parameters as validated by the op catalogue (aspectRatio, chaos, strength, factor…). */
	params: Record<string, unknown>
	seeds: number[]
	width: number
	height: number
	/** The parent image's PNG bytes, for ops that start from one. */
	parentPng: Uint8Array | null
	/** Remix: the parent's own prompt, when it has one. */
	sourcePrompt?: string | null
}

export interface GenerateOptions {
	/** Aborted when the job is cancelled or the worker shuts down: stop promptly and throw. */
	signal: AbortSignal
	/** Fraction done, 0–1; called often enough to show smooth progress. */
	onProgress: (fraction: number) => void
}

/** One image generator. The built-in one runs on the CPU; real GPU engines are adapters. */
export interface GeneratorBackend {
	readonly info: BackendInfo
	generate(request: GenerateRequest, options: GenerateOptions): Promise<GeneratedImage[]>
}
