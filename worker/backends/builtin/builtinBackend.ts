import { setTimeout as sleep } from 'node:timers/promises'
import sharp from 'sharp'
import type { BackendInfo, GeneratedImage } from '../../../shared/jobPayload'
import { UnrecoverableJobError } from '../../errors'
import type { GenerateRequest, GeneratorBackend } from '../types'
import { decodeLatent } from './decode'
import { encodeLatent, type Latent, perturbLatent } from './latent'
import { promptStyle } from './palette'
import { encodePngAsync } from './png'
import { composeScene } from './scene'

/** Bump `version` whenever the same request would produce different pixels. */
export const BUILTIN_INFO: BackendInfo = {
	backend: 'builtin',
	model: 'arbor-latent-painter',
	version: '1.0.0',
}

export interface BuiltinBackendOptions {
	/** Extra abortable sleep per job, for tests and benchmarks that need a slow job. Default 0. */
	delayMs?: number
	/** Longest stretch of painting between event-loop yields. Default 12 ms. */
	sliceMs?: number
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

function numberParam(params: Record<string, unknown>, key: string, fallback: number): number {
	const value = params[key]
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

/** Parent PNG (any size, any colour type) → RGB bytes at the requested size, cropped to fit. */
async function parentPixels(png: Uint8Array, width: number, height: number): Promise<Uint8Array> {
	try {
		const { data } = await sharp(png)
			.flatten({ background: { r: 0, g: 0, b: 0 } })
			.toColourspace('srgb')
			.resize(width, height, { fit: 'cover' })
			.raw()
			.toBuffer({ resolveWithObject: true })
		return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
	} catch (err) {
		throw new UnrecoverableJobError(`The parent image could not be decoded: ${String(err)}`)
	}
}

/** One latent per seed: composed from the prompt for imagine, perturbed from the parent for vary. */
async function latentMaker(
	request: GenerateRequest,
	pause: () => Promise<void>,
): Promise<(seed: number) => Latent> {
	const { width, height, params } = request
	if (request.op === 'vary') {
		if (!request.parentPng) throw new UnrecoverableJobError('A variation needs the parent image.')
		const strength = params.strength === 'strong' ? 'strong' : 'subtle'
		const pixels = await parentPixels(request.parentPng, width, height)
		await pause()
		const parent = encodeLatent(pixels, width, height)
		return (seed) => perturbLatent(parent, seed, strength)
	}
	const negative =
		request.negativePrompt ??
		(typeof params.negativePrompt === 'string' ? params.negativePrompt : null)
	const style = promptStyle(request.prompt, negative)
	const chaos = Math.min(100, Math.max(0, numberParam(params, 'chaos', 0)))
	const stylize = Math.min(1000, Math.max(0, numberParam(params, 'stylize', 100)))
	return (seed) => composeScene({ style, seed, chaos, stylize, width, height })
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
export function createBuiltinBackend(options: BuiltinBackendOptions = {}): GeneratorBackend {
	const delayMs = options.delayMs ?? 0
	const sliceMs = options.sliceMs ?? 12
	return {
		info: BUILTIN_INFO,
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
			const makeLatent = await latentMaker(request, pause)
			const n = request.seeds.length
			const share = (1 - delayShare) / n
			const images: GeneratedImage[] = []
			for (const [index, seed] of request.seeds.entries()) {
				const start = delayShare + index * share
				const rgb = await decodeLatent(makeLatent(seed), {
					pause,
					onProgress: (f) => report(start + f * share * 0.95),
				})
				const png = await encodePngAsync({ width: request.width, height: request.height, rgb })
				signal.throwIfAborted()
				images.push({ index, seed, width: request.width, height: request.height, png })
				report(start + share)
			}
			report(1)
			return images
		},
	}
}
