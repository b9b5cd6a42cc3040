import sharp from 'sharp'
import type { Dimensions, OutpaintGeometry } from '../../shared/ops/geometry'
import { parseInfotext } from '../../shared/provenance/infotext'
import { readPngTextChunks } from '../../shared/provenance/pngText'
import type { ParentImage } from '../types'

/** Sampling settings Arbor asks A1111 for (the engine's own values come back in `info`). */
export interface A1111Sampling {
	sampler: string
	steps: number
	cfg: number
	/** The checkpoint's title from /sd-models. */
	checkpoint: string
}

/** Variation strength (`subseed_strength`) and img2img denoise per vary strength. */
export const VARY_SUBSEED_STRENGTH = { subtle: 0.15, strong: 0.6 } as const
export const VARY_DENOISE = { subtle: 0.35, strong: 0.7 } as const
export const REMIX_DENOISE = 0.6
export const OUTPAINT_DENOISE = 0.95
export const CREATIVE_UPSCALE_DENOISE = 0.3

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

/** What txt2img and img2img share. */
export function commonBody(options: {
	prompt: string
	negativePrompt: string | null
	seed: number
	count: number
	size: Dimensions
	sampling: A1111Sampling
	taskId: string
}) {
	return {
		prompt: options.prompt,
		negative_prompt: options.negativePrompt ?? '',
		seed: options.seed,
		subseed: -1,
		subseed_strength: 0,
		batch_size: options.count,
		n_iter: 1,
		steps: options.sampling.steps,
		cfg_scale: options.sampling.cfg,
		width: options.size.width,
		height: options.size.height,
		sampler_name: options.sampling.sampler,
		override_settings: { sd_model_checkpoint: options.sampling.checkpoint },
		override_settings_restore_afterwards: true,
		send_images: true,
		save_images: false,
		force_task_id: options.taskId,
	}
}

/** img2img's own fields: the init image (and mask), how much to repaint. */
export async function img2imgFields(options: {
	init: Uint8Array
	denoise: number
	mask?: Uint8Array
	maskBlur?: number
}) {
	return {
		init_images: [b64(options.init)],
		denoising_strength: options.denoise,
		resize_mode: 0,
		...(options.mask
			? {
					mask: b64(options.mask),
					mask_blur: options.maskBlur ?? 4,
					// 1 = "original": start from the padded init image's colours, not grey.
					inpainting_fill: 1,
					inpaint_full_res: false,
					inpainting_mask_invert: 0,
				}
			: {}),
	}
}

/**
 * The parent's A1111 generation, when its PNG still carries A1111's `parameters` chunk: a native
 * variation needs the same seed, prompt and checkpoint. Null for any other parent.
 */
export function parentGeneration(
	parent: ParentImage,
): { seed: number; modelHash: string | null } | null {
	try {
		const chunk = readPngTextChunks(parent.png).find((c) => c.keyword === 'parameters')
		if (!chunk) return null
		const { params } = parseInfotext(chunk.text)
		const seed = Number(params.Seed)
		// Arbor's own infotext has no "Model hash"; only A1111's does.
		if (!Number.isSafeInteger(seed) || seed < 0 || !params['Model hash']) return null
		return { seed, modelHash: params['Model hash'] }
	} catch {
		// An unreadable chunk: vary through img2img instead, which needs only the pixels.
		return null
	}
}

/**
 * Zoom out / pan for img2img: the parent placed on a canvas of `size`, the padding filled with a
 * blurred stretch of the parent (so inpainting starts from its colours), and a mask that is white
 * (repaint) outside the placement, black inside, ramping over `feather` pixels into the parent.
 */
export async function outpaintInputs(
	parent: ParentImage,
	outpaint: OutpaintGeometry,
	size: Dimensions,
): Promise<{ init: Uint8Array; mask: Uint8Array }> {
	const { placement, feather } = outpaint
	const background = await sharp(parent.png)
		.resize(size.width, size.height, { fit: 'fill' })
		.blur(Math.max(1, Math.min(size.width, size.height) / 16))
		.removeAlpha()
		.toBuffer()
	const placed = await sharp(parent.png)
		.resize(placement.width, placement.height, { fit: 'fill' })
		.removeAlpha()
		.toBuffer()
	const init = await sharp(background)
		.composite([{ input: placed, left: placement.x, top: placement.y }])
		.png()
		.toBuffer()
	const { padding } = outpaint
	const grey = Buffer.alloc(size.width * size.height)
	for (let y = 0; y < size.height; y++) {
		for (let x = 0; x < size.width; x++) {
			const px = x - placement.x
			const py = y - placement.y
			const outside = px < 0 || py < 0 || px >= placement.width || py >= placement.height
			// Distance into the parent from its padded sides only: an edge on the canvas border
			// has nothing to blend with.
			const depth = Math.min(
				padding.left > 0 ? px : Number.POSITIVE_INFINITY,
				padding.top > 0 ? py : Number.POSITIVE_INFINITY,
				padding.right > 0 ? placement.width - 1 - px : Number.POSITIVE_INFINITY,
				padding.bottom > 0 ? placement.height - 1 - py : Number.POSITIVE_INFINITY,
			)
			grey[y * size.width + x] = outside
				? 255
				: depth >= feather
					? 0
					: Math.round(255 * (1 - depth / feather))
		}
	}
	const mask = await sharp(grey, { raw: { width: size.width, height: size.height, channels: 1 } })
		.png()
		.toBuffer()
	return { init: new Uint8Array(init), mask: new Uint8Array(mask) }
}
