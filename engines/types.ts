import type { EngineCapabilities, EngineHealth, EngineModel } from '../shared/engines'
import type { BackendInfo, GeneratedImage } from '../shared/jobPayload'
import type { OutpaintGeometry } from '../shared/ops/geometry'
import type {
	AspectRatio,
	PanParams,
	UpscaleParams,
	VaryParams,
	ZoomOutParams,
} from '../shared/ops/params'
import type { CustomWorkflow } from '../shared/workflows'

/** The image an op starts from, with its size read once from the PNG. */
export interface ParentImage {
	png: Uint8Array
	width: number
	height: number
}

interface RequestBase {
	prompt: string
	negativePrompt: string | null
	/** One image per seed; each exactly `width` × `height` (the adapter resizes if it must). */
	seeds: number[]
	width: number
	height: number
	/** The model asked for (an id from `models()`); null runs the engine's default. */
	model: string | null
	/** A team's registered graph for this op (ComfyUI); engines without graphs ignore it. */
	workflow?: CustomWorkflow | null
}

/** imagine and reroll: paint the prompt. */
export interface ImagineRequest extends RequestBase {
	op: 'imagine' | 'reroll'
	params: { aspectRatio: AspectRatio | null; chaos: number; stylize: number }
}

/** vary: near the parent, subtle or strong. `prompt` is the parent's. */
export interface VaryRequest extends RequestBase {
	op: 'vary'
	params: VaryParams
	parent: ParentImage
}

/** remix: the edited `prompt` over the parent's layout; `sourcePrompt` is what made the parent. */
export interface RemixRequest extends RequestBase {
	op: 'remix'
	params: Record<string, never>
	parent: ParentImage
	sourcePrompt: string | null
}

/** zoom_out and pan: the parent placed and padded per `outpaint` (shared/ops/geometry.ts). */
export interface ZoomOutRequest extends RequestBase {
	op: 'zoom_out'
	params: ZoomOutParams
	parent: ParentImage
	outpaint: OutpaintGeometry
}

export interface PanRequest extends RequestBase {
	op: 'pan'
	params: PanParams
	parent: ParentImage
	outpaint: OutpaintGeometry
}

/** upscale: one seed, `width` × `height` is the parent's fitted size × factor. */
export interface UpscaleRequest extends RequestBase {
	op: 'upscale'
	params: UpscaleParams
	parent: ParentImage
}

/** What an engine is asked to make, typed per op (built by `toGenerateRequest`). */
export type GenerateRequest =
	| ImagineRequest
	| VaryRequest
	| RemixRequest
	| ZoomOutRequest
	| PanRequest
	| UpscaleRequest

export type PreviewMime = 'image/jpeg' | 'image/png' | 'image/webp'

/** A partial image while the engine works; ephemeral, never stored. */
export interface PreviewImage {
	mime: PreviewMime
	bytes: Uint8Array
}

export interface GenerateOptions {
	/**
	 * Aborted when the job is cancelled, times out (`ARBOR_ENGINE_TIMEOUT_MS`) or the worker shuts
	 * down: the engine cancels its own work (ComfyUI: cancel/interrupt) and throws promptly.
	 */
	signal: AbortSignal
	/** Fraction done, 0–1; called often enough to show smooth progress. */
	onProgress: (fraction: number) => void
	/** Partial images, for engines whose capabilities say `previews`. */
	onPreview?: (image: PreviewImage) => void
}

/**
 * One image generator: the built-in CPU painter, or an adapter for a real engine (ComfyUI,
 * A1111, OpenAI-style). It declares what it can do, lists its models and makes images, each with
 * the engine's own record (`GeneratedImage.record`). Errors are classified (engines/errors.ts).
 */
export interface Engine {
	/** Engine name, default model and adapter version, for provenance and health. */
	readonly info: BackendInfo
	readonly capabilities: EngineCapabilities
	/** Models it can run now (discovery); the first is not necessarily the default. */
	models(options?: { signal?: AbortSignal }): Promise<EngineModel[]>
	/** Devices and free memory, for `/api/health` (ComfyUI's `/system_stats`); optional. */
	health?(options?: { signal?: AbortSignal }): Promise<EngineHealth>
	generate(request: GenerateRequest, options: GenerateOptions): Promise<GeneratedImage[]>
	/** Releases sockets and timers (adapters); optional. */
	close?(): Promise<void>
}
