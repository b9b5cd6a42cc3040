import type { OpName } from './catalogue'
import {
	AspectRatioSchema,
	DRAFT_EDGE,
	dimensionsFor,
	PanParamsSchema,
	UpscaleParamsSchema,
	ZoomOutParamsSchema,
} from './params'

export interface Dimensions {
	width: number
	height: number
}

/** A rectangle in output pixels, integer-aligned. */
export interface Placement extends Dimensions {
	x: number
	y: number
}

/** Pixels of one draft candidate (512²); sizes and prices are measured against it. */
export const DRAFT_AREA = DRAFT_EDGE * DRAFT_EDGE
/** Pan grows the canvas by this share of the parent's side. */
export const PAN_EXTENSION = 0.5
/** A pan's output is scaled down to at most this many pixels (the parent shrinks with it). */
export const PAN_MAX_AREA = 2 * DRAFT_AREA
/** Pan refuses to go past this long-side : short-side ratio. */
export const MAX_ASPECT = 4
/** Longest side an upscale may produce; a larger parent is scaled down before upscaling. */
export const MAX_UPSCALE_EDGE = 4096

/** A request the op cannot carry out on this parent; the server answers it with a 422. */
export class OpInputError extends Error {
	readonly code: 'parent_required' | 'invalid_params' | 'aspect_too_extreme'
	constructor(code: OpInputError['code'], message: string) {
		super(message)
		this.name = 'OpInputError'
		this.code = code
	}
}

const round8 = (v: number) => Math.max(8, Math.round(v / 8) * 8)

function parse<T>(
	schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
	op: string,
	params: unknown,
): T {
	const result = schema.safeParse(params)
	if (!result.success) throw new OpInputError('invalid_params', `Invalid params for ${op}.`)
	return result.data
}

/**
 * A draft-sized frame (about 512² pixels, sides multiples of 8) with the parent's aspect ratio.
 * Every size `dimensionsFor` makes maps to itself, so existing drafts keep their size.
 *
 * @example draftDimensionsFor({ width: 2048, height: 1365 }) // { width: 624, height: 416 }
 */
export function draftDimensionsFor(parent: Dimensions): Dimensions {
	const ratio = parent.width / parent.height
	return {
		width: round8(Math.sqrt(DRAFT_AREA * ratio)),
		height: round8(Math.sqrt(DRAFT_AREA / ratio)),
	}
}

function requireParent(op: OpName, parent: Dimensions | null): Dimensions {
	if (!parent || parent.width < 1 || parent.height < 1)
		throw new OpInputError('parent_required', `${op} needs the parent's dimensions.`)
	return parent
}

function panDimensions(params: unknown, parent: Dimensions): Dimensions {
	const { direction } = parse(PanParamsSchema, 'pan', params)
	const sideways = direction === 'left' || direction === 'right'
	const width = parent.width * (sideways ? 1 + PAN_EXTENSION : 1)
	const height = parent.height * (sideways ? 1 : 1 + PAN_EXTENSION)
	if (Math.max(width / height, height / width) > MAX_ASPECT)
		throw new OpInputError(
			'aspect_too_extreme',
			`Panning ${direction} would make the image narrower than 1:${MAX_ASPECT}.`,
		)
	// Between one draft and PAN_MAX_AREA: tiny uploads grow, repeated pans stop growing.
	const area = width * height
	const scale =
		area > PAN_MAX_AREA
			? Math.sqrt(PAN_MAX_AREA / area)
			: area < DRAFT_AREA
				? Math.sqrt(DRAFT_AREA / area)
				: 1
	return { width: round8(width * scale), height: round8(height * scale) }
}

function upscaleDimensions(params: unknown, parent: Dimensions): Dimensions {
	const { factor } = parse(UpscaleParamsSchema, 'upscale', params)
	const input = upscaleInputDimensions(factor, parent)
	return { width: input.width * factor, height: input.height * factor }
}

/** The size the upscaler starts from: the parent, scaled down if its output would be too big. */
export function upscaleInputDimensions(factor: number, parent: Dimensions): Dimensions {
	const k = Math.min(1, MAX_UPSCALE_EDGE / (Math.max(parent.width, parent.height) * factor))
	return {
		width: Math.max(1, Math.floor(parent.width * k)),
		height: Math.max(1, Math.floor(parent.height * k)),
	}
}

/**
 * The exact output size of one image of an op. The server computes it when it records the job
 * and puts it in the payload; the worker checks what the backend returns against it.
 * `parent` is the parent image's size (for reroll: the source job's output size, or null to use
 * `params.aspectRatio`). Throws OpInputError when the op can't apply.
 *
 * @example outputDimensions('pan', { direction: 'left' }, { width: 512, height: 512 })
 * // { width: 768, height: 512 }
 */
export function outputDimensions(
	op: OpName,
	params: Readonly<Record<string, unknown>>,
	parent: Dimensions | null,
): Dimensions {
	switch (op) {
		case 'imagine':
		case 'reroll': {
			if (op === 'reroll' && parent) return { width: parent.width, height: parent.height }
			const ratio = AspectRatioSchema.safeParse(params.aspectRatio ?? '1:1')
			if (!ratio.success)
				throw new OpInputError('invalid_params', `Invalid aspect ratio for ${op}.`)
			return dimensionsFor(ratio.data)
		}
		case 'zoom_out':
			parse(ZoomOutParamsSchema, op, params)
			return draftDimensionsFor(requireParent(op, parent))
		case 'vary':
		case 'remix':
			return draftDimensionsFor(requireParent(op, parent))
		case 'pan':
			return panDimensions(params, requireParent(op, parent))
		case 'upscale':
			return upscaleDimensions(params, requireParent(op, parent))
	}
}

/**
 * Where the parent sits in an output of `output` size: the centre 1/factor for zoom_out, the
 * side opposite `direction` for pan (scaled to the output's other side), the whole frame
 * otherwise. Shared so the generator, its tests and any preview agree to the pixel.
 */
export function parentPlacement(
	op: OpName,
	params: Readonly<Record<string, unknown>>,
	parent: Dimensions,
	output: Dimensions,
): Placement {
	const full = { x: 0, y: 0, width: output.width, height: output.height }
	if (op === 'zoom_out') {
		const { factor } = parse(ZoomOutParamsSchema, op, params)
		const width = Math.round(output.width / factor)
		const height = Math.round(output.height / factor)
		return {
			x: Math.floor((output.width - width) / 2),
			y: Math.floor((output.height - height) / 2),
			width,
			height,
		}
	}
	if (op === 'pan') {
		const { direction } = parse(PanParamsSchema, op, params)
		if (direction === 'left' || direction === 'right') {
			const width = Math.min(
				output.width,
				Math.round((parent.width * output.height) / parent.height),
			)
			return { ...full, x: direction === 'left' ? output.width - width : 0, width }
		}
		const height = Math.min(
			output.height,
			Math.round((parent.height * output.width) / parent.width),
		)
		return { ...full, y: direction === 'up' ? output.height - height : 0, height }
	}
	return full
}

/** Pixels added on each side of the parent (after it is scaled to its placement). */
export interface Padding {
	left: number
	top: number
	right: number
	bottom: number
}

/**
 * Zoom out and pan, computed once for every engine: where the parent goes, how much is padded on
 * each side (ComfyUI's ImagePadForOutpaint, A1111's padded init image) and how far the mask
 * feathers into the parent so the seam blends. The mask is everything outside `placement`.
 */
export interface OutpaintGeometry {
	placement: Placement
	padding: Padding
	/** Feather width in pixels, inside the parent's edge, for the inpainting mask. */
	feather: number
}

export function outpaintGeometry(
	op: 'zoom_out' | 'pan',
	params: Readonly<Record<string, unknown>>,
	parent: Dimensions,
	output: Dimensions,
): OutpaintGeometry {
	const placement = parentPlacement(op, params, parent, output)
	const padding = {
		left: placement.x,
		top: placement.y,
		right: output.width - placement.x - placement.width,
		bottom: output.height - placement.y - placement.height,
	}
	const feather = Math.max(8, Math.round(Math.min(placement.width, placement.height) / 16))
	return { placement, padding, feather }
}
