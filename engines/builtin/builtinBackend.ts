import { setTimeout as sleep } from 'node:timers/promises'
import type { EngineCapabilities, EngineRecord } from '../../shared/engines'
import type { BackendInfo, GeneratedImage } from '../../shared/jobPayload'
import { OP_NAMES } from '../../shared/ops/catalogue'
import { UPSCALE_FACTORS } from '../../shared/ops/params'
import type { Engine } from '../types'
import { planPainter } from './painters'
import { encodePngAsync } from './png'

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
	previews: false,
	upscaleFactors: [...UPSCALE_FACTORS],
}

/** The painter has no sampler, steps or CFG: its record says so rather than invent them. */
function builtinRecord(seed: number, model: string): EngineRecord {
	return {
		engine: BUILTIN_INFO.backend,
		model,
		modelHash: null,
		sampler: null,
		scheduler: null,
		steps: null,
		cfg: null,
		denoise: null,
		seed,
		extras: { version: BUILTIN_INFO.version },
	}
}

export interface BuiltinBackendOptions {
	/** Extra abortable sleep per job, for tests and benchmarks that need a slow job. Default 0. */
	delayMs?: number
	/** Longest stretch of painting between event-loop yields. Default 12 ms. */
	sliceMs?: number
	/** Core tile side for the neural upscaler (see EsrganUpscaleOptions). Default 64. */
	upscaleTileSize?: number
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
 * The built-in CPU generator: a deterministic procedural latent painter. Same request → the same
 * PNG bytes. It paints in slices of at most `sliceMs` between event-loop yields, so it can run in
 * the server process next to the websockets.
 *
 * @example
 * const backend = createBuiltinBackend()
 * const images = await backend.generate(request, { signal, onProgress: (f) => log(f) })
 */
export function createBuiltinBackend(options: BuiltinBackendOptions = {}): Engine {
	const delayMs = options.delayMs ?? 0
	const sliceMs = options.sliceMs ?? 12
	return {
		info: BUILTIN_INFO,
		capabilities: BUILTIN_CAPABILITIES,
		async models() {
			return [{ id: BUILTIN_INFO.model, name: 'Arbor latent painter (CPU)', hash: null }]
		},
		async generate(request, { signal, onProgress }) {
			signal.throwIfAborted()
			let reported = 0
			const report = (fraction: number) => {
				// Monotonic by construction: a late or rounded report never moves the bar back.
				if (fraction > reported) {
					reported = Math.min(1, fraction)
					onProgress(reported)
				}
			}
			const delayShare = delayMs > 0 ? 0.5 : 0
			if (delayMs > 0) {
				const steps = Math.max(1, Math.ceil(delayMs / 100))
				for (let k = 1; k <= steps; k++) {
					await sleep(delayMs / steps, undefined, { signal }).catch((err: unknown) => {
						// timers/promises rejects with its own AbortError; rethrow the signal's reason.
						signal.throwIfAborted()
						throw err
					})
					report((delayShare * k) / steps)
				}
			}
			const pause = createPacer(signal, sliceMs)
			const plan = await planPainter(request, {
				signal,
				pause,
				upscaleTileSize: options.upscaleTileSize,
			})
			const n = request.seeds.length
			const share = (1 - delayShare) / n
			const images: GeneratedImage[] = []
			for (const [index, seed] of request.seeds.entries()) {
				const start = delayShare + index * share
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
					record: builtinRecord(seed, plan.model ?? BUILTIN_INFO.model),
				})
				report(start + share)
			}
			report(1)
			return images
		},
	}
}
