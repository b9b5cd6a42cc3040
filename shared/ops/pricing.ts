import { imagesPerRun, type JobCreate, OPS, type OpName } from './catalogue'
import { type Dimensions, DRAFT_AREA, outputDimensions } from './geometry'

/**
 * Credits per draft-sized (512²) image an op outputs. Exploration costs one credit a candidate;
 * the commit op costs more per pixel, and creative upscaling more than subtle.
 */
export const CREDITS_PER_DRAFT_IMAGE: Record<OpName, number> = {
	imagine: 1,
	reroll: 1,
	vary: 1,
	remix: 1,
	zoom_out: 1,
	pan: 1,
	upscale: 2,
}
const CREATIVE_UPSCALE_RATE = 3

/**
 * How much a model's prices are of the catalogue's: an admin sets what a prompt (a grid of four
 * 512² candidates) costs on a model, and every op on it scales by the same ratio.
 *
 * @example modelPriceScale(8) // 2: a model priced at 8 a prompt charges twice the catalogue
 */
export function modelPriceScale(promptPrice: number | null | undefined): number {
	return promptPrice == null ? 1 : promptPrice / OPS.imagine.cost
}

/** Price of one run from its op, output size, (upscale) mode and the model's price scale. */
export function priceForOutput(
	op: OpName,
	output: Dimensions,
	mode?: 'subtle' | 'creative',
	scale = 1,
): number {
	const rate =
		op === 'upscale' && mode === 'creative' ? CREATIVE_UPSCALE_RATE : CREDITS_PER_DRAFT_IMAGE[op]
	const drafts = (output.width * output.height) / DRAFT_AREA
	return Math.max(1, Math.round(rate * imagesPerRun(op) * drafts * scale))
}

/**
 * What a request costs, in credits: the same function on the server (which charges it) and in the
 * client (which shows it before a commit). `parentDims` is the parent image's size — for reroll
 * the source job's output size; imagine needs none. Throws OpInputError (from outputDimensions)
 * when a parent op is priced without its parent's size or can't apply. `scale` is the model's
 * (`modelPriceScale`).
 *
 * @example priceOf({ op: 'upscale', parentImageId, params: { mode: 'subtle', factor: 4 } },
 *   { width: 512, height: 512 }) // 32
 */
export function priceOf(request: JobCreate, parentDims?: Dimensions | null, scale = 1): number {
	const params = 'params' in request ? (request.params as Record<string, unknown>) : {}
	const output = outputDimensions(request.op, params, parentDims ?? null)
	return priceForOutput(
		request.op,
		output,
		request.op === 'upscale' ? request.params.mode : undefined,
		scale,
	)
}
