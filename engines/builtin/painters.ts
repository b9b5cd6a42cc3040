import { type Dimensions, OpInputError, parentPlacement } from '../../shared/ops/geometry'
import { UpscaleParamsSchema } from '../../shared/ops/params'
import { UnrecoverableJobError } from '../errors'
import type { GenerateRequest } from '../types'
import { esrganVersion } from '../upscale/esrganModel'
import { decodeLatent } from './decode'
import { encodeLatent, perturbLatent } from './latent'
import { outpaintPixels } from './outpaint'
import { promptStyle } from './palette'
import { decodeToRgb, imageSize } from './pixels'
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
}

export interface PainterPlan {
	paint: Painter
	/** The model that made the images, when it isn't the painter (the neural upscaler). */
	model?: string
}

function numberParam(params: Record<string, unknown>, key: string, fallback: number): number {
	const value = params[key]
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

function requireParent(request: GenerateRequest): Uint8Array {
	if (!request.parentPng) throw new UnrecoverableJobError(`${request.op} needs the parent image.`)
	return request.parentPng
}

/** Prompt, negative prompt (request or params), chaos and stylize, as the painter reads them. */
function sceneInputs(request: GenerateRequest) {
	const { params } = request
	const negative =
		request.negativePrompt ??
		(typeof params.negativePrompt === 'string' ? params.negativePrompt : null)
	return {
		style: promptStyle(request.prompt, negative),
		chaos: Math.min(100, Math.max(0, numberParam(params, 'chaos', 0))),
		stylize: Math.min(1000, Math.max(0, numberParam(params, 'stylize', 100))),
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
	const { width, height, params } = request
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
				const strength = params.strength === 'strong' ? 'strong' : 'subtle'
				const pixels = await decodeToRgb(requireParent(request), width, height)
				await pause()
				const parent = encodeLatent(pixels, width, height)
				return {
					paint: (seed, onProgress) =>
						decodeLatent(perturbLatent(parent, seed, strength), { pause, onProgress }),
				}
			}
			case 'remix': {
				const parent = await decodeToRgb(requireParent(request), width, height)
				const inputs = sceneInputs(request)
				return {
					paint: (seed, onProgress) =>
						remixPixels({ ...inputs, parent, width, height, seed, pause, onProgress }),
				}
			}
			case 'zoom_out':
			case 'pan': {
				const png = requireParent(request)
				const parentDims: Dimensions = await imageSize(png)
				const placement = parentPlacement(request.op, params, parentDims, { width, height })
				const parent = await decodeToRgb(png, placement.width, placement.height)
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
				const parsed = UpscaleParamsSchema.safeParse({ mode: params.mode, factor: params.factor })
				if (!parsed.success) throw new OpInputError('invalid_params', 'Invalid params for upscale.')
				const { mode, factor } = parsed.data
				const parentPng = requireParent(request)
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
						}),
				}
			}
		}
	} catch (err) {
		if (err instanceof OpInputError) throw new UnrecoverableJobError(err.message)
		throw err
	}
}
