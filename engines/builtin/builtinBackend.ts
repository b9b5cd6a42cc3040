import { setTimeout as sleep } from 'node:timers/promises'
import { type EngineCapabilities, type EngineRecord, samplerlessRecord } from '../../shared/engines'
import type { BackendInfo, GeneratedImage } from '../../shared/jobPayload'
import { OP_NAMES } from '../../shared/ops/catalogue'
import { type Dimensions, outpaintGeometry } from '../../shared/ops/geometry'
import { UPSCALE_FACTORS } from '../../shared/ops/params'
import type { Engine, GenerateRequest } from '../types'
import type { EsrganRunner } from '../upscale/esrgan'
import { planPainter } from './painters'
import { decodeToRgb } from './pixels'
import { encodePngAsync } from './png'
import { PreviewSheet } from './previewSheet'

/**
 * Bump `version` whenever the same request would produce different pixels (1.1.0 added remix,
 * zoom_out, pan and upscale; imagine and vary paint exactly as in 1.0.0).
 */
export const BUILTIN_INFO: BackendInfo = {
	backend: 'builtin',
	model: 'arbor-latent-painter',
	version: '1.1.0',
}

/** Every op at any multiple of 8; seeds reproduce byte for byte; a whole grid per call. */
export const BUILTIN_CAPABILITIES: EngineCapabilities = {
	ops: [...OP_NAMES],
	size: { kind: 'multiple', multiple: 8, min: 8, max: 8192 },
	seeds: true,
	maxBatch: 4,
	previews: true,
	upscaleFactors: [...UPSCALE_FACTORS],
}

/** The painter has no sampler, steps or CFG: its record says so rather than invent them. */
function builtinRecord(seed: number, model: string): EngineRecord {
	return samplerlessRecord(BUILTIN_INFO.backend, model, seed, { version: BUILTIN_INFO.version })
}

export interface BuiltinBackendOptions {
	/** The model name it announces and records (`ARBOR_BUILTIN_MODEL`). Default `arbor-latent-painter`. */
	model?: string
	/** Extra abortable sleep per job, for tests and benchmarks that need a slow job. Default 0. */
	delayMs?: number
	/** Longest stretch of painting between event-loop yields. Default 12 ms. */
	sliceMs?: number
	/** Core tile side for the neural upscaler (see EsrganUpscaleOptions). Default 64. */
	upscaleTileSize?: number
	/** Where the neural upscaler runs (`ARBOR_UPSCALE_RUNNER`). Default `thread`. */
	upscaleRunner?: EsrganRunner
}

/**
 * Returns an async pause that yields to the event loop once `sliceMs` of work has piled up since
 * the last yield, and throws the abort reason when the job is cancelled.
 */
function createPacer(signal: AbortSignal, sliceMs: number): () => Promise<void> {
	let sliceStart = performance.now()
	return async () => {
		signal.throwIfAborted()
		if (performance.now() - sliceStart < sliceMs) return
		await new Promise<void>((resolve) => setImmediate(resolve))
		signal.throwIfAborted()
		sliceStart = performance.now()
	}
}

/**
 * Sizes of the coarse passes painted for previews before the real one: 1/8 and 1/4 of the
 * output (at least 16 px a side), so a preview costs ~8 % of the job. None for upscale (ESRGAN at
 * a tiny size shows nothing; its preview is the parent it starts from).
 */
export function coarseSizes(request: GenerateRequest): { width: number; height: number }[] {
	if (request.op === 'upscale') return []
	const sizes: { width: number; height: number }[] = []
	for (const scale of [1 / 8, 1 / 4]) {
		const width = Math.max(16, Math.round(request.width * scale))
		const height = Math.max(16, Math.round(request.height * scale))
		if (width * 2 > request.width || height * 2 > request.height) continue
		if (sizes.some((s) => s.width === width && s.height === height)) continue
		sizes.push({ width, height })
	}
	return sizes
}

/** The same request at a coarse size (zoom out and pan place the parent for that size). */
function coarseRequest(request: GenerateRequest, size: Dimensions): GenerateRequest {
	if (request.op === 'zoom_out' || request.op === 'pan')
		return {
			...request,
			...size,
			outpaint: outpaintGeometry(request.op, request.params, request.parent, size),
		}
	return { ...request, ...size }
}

/**
 * The built-in CPU generator: a deterministic procedural latent painter. Same request → the same
 * PNG bytes. It paints in slices of at most `sliceMs` between event-loop yields, so it can run in
 * the server process next to the websockets.
 *
 * Given `onPreview`, it paints coarse-to-fine like a diffusion engine shows its latents: every
 * candidate at 1/8 size, then 1/4, then each at full size, sending a sheet of them after each
 * image. The previews are separate paintings: the output bytes do not depend on them. A
 * configured delay is spread between the passes, so a slow job shows its previews early.
 *
 * @example
 * const backend = createBuiltinBackend()
 * const images = await backend.generate(request, { signal, onProgress: (f) => log(f) })
 */
export function createBuiltinBackend(options: BuiltinBackendOptions = {}): Engine {
	const delayMs = options.delayMs ?? 0
	const info: BackendInfo = { ...BUILTIN_INFO, model: options.model ?? BUILTIN_INFO.model }
	const sliceMs = options.sliceMs ?? 12
	return {
		info,
		capabilities: BUILTIN_CAPABILITIES,
		async models() {
			return [{ id: info.model, name: `Arbor latent painter (CPU)`, hash: null }]
		},
		async generate(request, { signal, onProgress, onPreview }) {
			signal.throwIfAborted()
			let reported = 0
			const report = (fraction: number) => {
				// Monotonic by construction: a late or rounded report never moves the bar back.
				if (fraction > reported) {
					reported = Math.min(1, fraction)
					onProgress(reported)
				}
			}
			const n = request.seeds.length
			const passes = onPreview ? coarseSizes(request) : []
			const delayShare = delayMs > 0 ? 0.5 : 0
			const previewShare = passes.length > 0 ? 0.08 * (1 - delayShare) : 0
			const paintShare = 1 - delayShare - previewShare
			const sleeps = Math.max(1, passes.length)
			let done = 0
			const wait = async () => {
				if (delayMs <= 0) return
				const steps = Math.max(1, Math.ceil(delayMs / sleeps / 100))
				for (let k = 1; k <= steps; k++) {
					await sleep(delayMs / sleeps / steps, undefined, { signal }).catch((err: unknown) => {
						// timers/promises rejects with its own AbortError; rethrow the signal's reason.
						signal.throwIfAborted()
						throw err
					})
					report(done + (delayShare / sleeps) * (k / steps))
				}
				done += delayShare / sleeps
			}
			const pause = createPacer(signal, sliceMs)
			const ctx = {
				signal,
				pause,
				upscaleTileSize: options.upscaleTileSize,
				upscaleRunner: options.upscaleRunner,
			}
			const sheet = onPreview ? new PreviewSheet(n, request.width, request.height) : null
			const show = async () => {
				if (sheet && onPreview) onPreview(await sheet.encode())
			}
			if (sheet && request.op === 'upscale') {
				const { width, height } = sheet
				sheet.place(0, { rgb: await decodeToRgb(request.parent.png, width, height), width, height })
				await show()
			}
			for (const size of passes) {
				const coarse = await planPainter(coarseRequest(request, size), ctx)
				for (const [index, seed] of request.seeds.entries()) {
					sheet?.place(index, { ...size, rgb: await coarse.paint(seed, () => {}) })
					await show()
					report(done + previewShare / passes.length / n)
					done += previewShare / passes.length / n
				}
				await wait()
			}
			if (passes.length === 0) await wait()
			const plan = await planPainter(request, ctx)
			const share = paintShare / n
			const images: GeneratedImage[] = []
			for (const [index, seed] of request.seeds.entries()) {
				const start = done + index * share
				const rgb = await plan.paint(seed, (f) => report(start + f * share * 0.95))
				const png = await encodePngAsync({ width: request.width, height: request.height, rgb })
				signal.throwIfAborted()
				const { width, height } = request
				images.push({
					index,
					seed,
					width,
					height,
					png,
					record: builtinRecord(seed, plan.model ?? info.model),
				})
				report(start + share)
				if (sheet && index < n - 1) {
					sheet.place(index, { rgb, width, height })
					await show()
				}
			}
			report(1)
			return images
		},
	}
}
