import { UnrecoverableJobError } from '../errors'
import { backProject } from '../upscale/backProject'
import { type EsrganRunner, esrganUpscale } from '../upscale/esrgan'
import { addPaintedDetail } from './detail'
import { decodeToRgb } from './pixels'

export interface UpscaleOptions {
	parentPng: Uint8Array
	/** Output size: exactly the upscaler's input size × factor. */
	width: number
	height: number
	factor: 2 | 4
	mode: 'subtle' | 'creative'
	seed: number
	signal: AbortSignal
	pause: () => Promise<void>
	onProgress: (fraction: number) => void
	/** Core tile side for the neural upscaler; see EsrganUpscaleOptions. */
	tileSize?: number
	/** Where the network runs; see EsrganRunner. Default `thread`. */
	runner?: EsrganRunner
}

/**
 * The upscale op: the parent (fitted to width/factor × height/factor — itself unless it was too
 * big to upscale) through ESRGAN-slim — plus, for *creative*, the painter's detail pass — then
 * back-projected so that it still downscales to its source.
 */
export async function upscalePixels(o: UpscaleOptions): Promise<Uint8Array> {
	const inWidth = o.width / o.factor
	const inHeight = o.height / o.factor
	if (!Number.isInteger(inWidth) || !Number.isInteger(inHeight))
		throw new UnrecoverableJobError(`${o.width}×${o.height} is not a multiple of ${o.factor}.`)
	const rgb = await decodeToRgb(o.parentPng, inWidth, inHeight, 'fill')
	const neuralShare = o.mode === 'creative' ? 0.85 : 1
	const source = { width: inWidth, height: inHeight, rgb }
	const neural = await esrganUpscale(source, o.factor, {
		signal: o.signal,
		tileSize: o.tileSize,
		runner: o.runner,
		onProgress: (f) => o.onProgress(f * neuralShare * 0.97),
	})
	o.signal.throwIfAborted()
	// Creative detail goes in before back-projection, which then takes back whatever part of it
	// shows at the source's own scale: the added texture stays finer than a source pixel.
	const detailed =
		o.mode === 'creative'
			? {
					...neural,
					rgb: await addPaintedDetail(neural, { seed: o.seed, factor: o.factor, pause: o.pause }),
				}
			: neural
	return (await backProject(detailed, source, { pause: o.pause })).rgb
}
