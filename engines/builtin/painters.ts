import { OpInputError } from '../../shared/ops/geometry'
import { UnrecoverableJobError } from '../errors'
import type { GenerateRequest } from '../types'
import type { EsrganRunner } from '../upscale/esrgan'
import { esrganVersion } from '../upscale/esrganModel'
import { decodeLatent } from './decode'
import { encodeLatent, perturbLatent } from './latent'
import { outpaintPixels } from './outpaint'
import { promptStyle } from './palette'
import { decodeToRgb } from './pixels'
import { remixPixels } from './remix'
import { composeScene } from './scene'
import { upscalePixels } from './upscale'

/** Paints one output image for a seed: RGB bytes at the request's size. */
export type Painter = (seed: number, onProgress: (fraction: number) => void) => Promise<Uint8Array>

export interface PainterContext {
	signal: AbortSignal
	/** Yields to the event loop when the time slice is used up; throws when aborted. */
	pause: () => Promise<void>
	upscaleTileSize?: number
	upscaleRunner?: EsrganRunner
}

export interface PainterPlan {
	paint: Painter
	/** The model that made the images, when it isn't the painter (the neural upscaler). */
	model?: string
}

/** Prompt, negative prompt, chaos and stylize (imagine's; the other ops paint at 0 and 100). */
function sceneInputs(request: GenerateRequest) {
	const scene =
		request.op === 'imagine' || request.op === 'reroll'
			? request.params
			: { chaos: 0, stylize: 100 }
	return {
		style: promptStyle(request.prompt, request.negativePrompt),
		chaos: scene.chaos,
		stylize: scene.stylize,
	}
}

/**
 * How the built-in generator makes each op's images. imagine and reroll paint the prompt; vary
 * perturbs the parent's latent; remix repaints the parent's layout in the new prompt's look;
 * zoom_out and pan outpaint around the parent; upscale runs ESRGAN (plus detail if creative).
 */
export async function planPainter(
	request: GenerateRequest,
	ctx: PainterContext,
): Promise<PainterPlan> {
	const { width, height } = request
	const { pause } = ctx
	try {
		switch (request.op) {
			case 'imagine':
			case 'reroll': {
				const { style, chaos, stylize } = sceneInputs(request)
				return {
					paint: (seed, onProgress) =>
						decodeLatent(composeScene({ style, seed, chaos, stylize, width, height }), {
							pause,
							onProgress,
						}),
				}
			}
			case 'vary': {
				const { strength } = request.params
				const pixels = await decodeToRgb(request.parent.png, width, height)
				await pause()
				const parent = encodeLatent(pixels, width, height)
				return {
					paint: (seed, onProgress) =>
						decodeLatent(perturbLatent(parent, seed, strength), { pause, onProgress }),
				}
			}
			case 'remix': {
				const parent = await decodeToRgb(request.parent.png, width, height)
				const inputs = sceneInputs(request)
				return {
					paint: (seed, onProgress) =>
						remixPixels({ ...inputs, parent, width, height, seed, pause, onProgress }),
				}
			}
			case 'zoom_out':
			case 'pan': {
				const { placement } = request.outpaint
				const parent = await decodeToRgb(request.parent.png, placement.width, placement.height)
				const inputs = sceneInputs(request)
				return {
					paint: (seed, onProgress) =>
						outpaintPixels({
							...inputs,
							parent,
							placement,
							width,
							height,
							seed,
							pause,
							onProgress,
						}),
				}
			}
			case 'upscale': {
				const { mode, factor } = request.params
				const parentPng = request.parent.png
				const esrgan = `esrgan-slim-x${factor}@${esrganVersion()}`
				return {
					model: mode === 'creative' ? `${esrgan}+arbor-latent-painter-detail` : esrgan,
					paint: (seed, onProgress) =>
						upscalePixels({
							parentPng,
							width,
							height,
							factor,
							mode,
							seed,
							signal: ctx.signal,
							pause,
							onProgress,
							tileSize: ctx.upscaleTileSize,
							runner: ctx.upscaleRunner,
						}),
				}
			}
		}
	} catch (err) {
		if (err instanceof OpInputError) throw new UnrecoverableJobError(err.message)
		throw err
	}
}
