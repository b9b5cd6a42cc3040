import { adjust, luminance, mix, type Rgb } from './color'
import { createGrid, createGridSampler, fbmGrid, type Grid } from './grid'
import type { LayerSpec } from './layers/types'
import { createRng, hashInts, type Rng } from './prng'

/** Film-like finishing applied per pixel after all layers. */
export interface Finish {
	seed: number
	/** Luminance grain amplitude, in 0–1 units (also dithers gradients against banding). */
	grain: number
	/** Corner darkening, 0–1. */
	vignette: number
	saturation: number
	contrast: number
	/** Pull towards `levels` flat tones, 0–1 (the poster look at high stylize). */
	posterize: number
	levels: number
}

/**
 * The painter's latent: a coarse grid of colour features (about 12 cells down) that decodes to a
 * smooth colour field, an optional full-resolution residual (what an encoded image has that the
 * grid cannot hold), an optional displacement field, and the motif layers drawn over the field.
 * `imagine` builds one from a prompt; `vary` encodes a parent image into one and perturbs it.
 */
export interface Latent {
	width: number
	height: number
	/** 3 channels: sRGB 0–1. */
	field: Grid
	/** width × height × 3 residual, or null for a painted (not encoded) latent. */
	detail: Float32Array | null
	detailGain: number
	/** 2 channels: where each pixel samples from, as an offset in pixels. */
	warp: Grid | null
	layers: LayerSpec[]
	finish: Finish
}

/** Grid cells down the image; across follows the aspect ratio. */
export const FIELD_ROWS = 12

export function fieldSize(width: number, height: number): { gw: number; gh: number } {
	return { gw: Math.max(2, Math.round((FIELD_ROWS * width) / height)), gh: FIELD_ROWS }
}

export const NEUTRAL_FINISH: Finish = {
	seed: 0,
	grain: 0,
	vignette: 0,
	saturation: 1,
	contrast: 1,
	posterize: 0,
	levels: 8,
}

/**
 * Maps an RGB image (any source: ours, another backend's, an upload) to a latent whose decode
 * reproduces it: the field is the cell-averaged colour, the residual holds the rest.
 */
export function encodeLatent(pixels: Uint8Array, width: number, height: number): Latent {
	const { gw, gh } = fieldSize(width, height)
	const field = createGrid(gw, gh, 3)
	const counts = new Float32Array(gw * gh)
	for (let y = 0; y < height; y++) {
		const j = Math.min(gh - 1, Math.floor((y * gh) / height))
		for (let x = 0; x < width; x++) {
			const cell = j * gw + Math.min(gw - 1, Math.floor((x * gw) / width))
			const p = (y * width + x) * 3
			field.data[cell * 3] += pixels[p]
			field.data[cell * 3 + 1] += pixels[p + 1]
			field.data[cell * 3 + 2] += pixels[p + 2]
			counts[cell]++
		}
	}
	for (let c = 0; c < gw * gh; c++) {
		for (let k = 0; k < 3; k++) field.data[c * 3 + k] /= 255 * Math.max(1, counts[c])
	}
	const detail = new Float32Array(width * height * 3)
	const sample = createGridSampler(field, width, height)
	const row = new Float32Array(width * 3)
	for (let y = 0; y < height; y++) {
		sample(y, row)
		const o = y * width * 3
		for (let i = 0; i < width * 3; i++) detail[o + i] = pixels[o + i] / 255 - row[i]
	}
	return {
		width,
		height,
		field,
		detail,
		detailGain: 1,
		warp: null,
		layers: [],
		finish: NEUTRAL_FINISH,
	}
}

export type VaryStrength = 'subtle' | 'strong'

const STRENGTH = {
	subtle: { colour: 0.035, hue: 3, warp: 0.006, zoom: 0, gain: 0.04, finish: 0.03, layers: 0 },
	strong: { colour: 0.1, hue: 16, warp: 0.03, zoom: 0.07, gain: 0.2, finish: 0.15, layers: 2 },
} as const

function cellColour(field: Grid, cell: number): Rgb {
	return [field.data[cell * 3], field.data[cell * 3 + 1], field.data[cell * 3 + 2]]
}

/** New motifs for a strong variation, coloured from the parent so they belong in it. */
function extraLayers(field: Grid, rng: Rng, count: number): LayerSpec[] {
	let brightest = 0
	let mean: Rgb = [0, 0, 0]
	const cells = field.width * field.height
	for (let c = 0; c < cells; c++) {
		if (luminance(cellColour(field, c)) > luminance(cellColour(field, brightest))) brightest = c
		mean = mix(mean, cellColour(field, c), 1 / (c + 1))
	}
	const light = adjust(cellColour(field, brightest), 0, 1.2, 0.15)
	const dark = luminance(mean) < 0.3
	const options: LayerSpec[] = [
		{
			kind: 'orb',
			x: ((brightest % field.width) + 0.5) / field.width + rng.range(-0.15, 0.15),
			y: (Math.floor(brightest / field.width) + 0.5) / field.height + rng.range(-0.1, 0.1),
			radius: 0.1,
			core: light,
			rim: light,
			glow: light,
			halo: rng.range(0.25, 0.5),
			spread: rng.range(2, 4),
			bands: 0,
			disc: 0,
		},
		{
			kind: 'mist',
			seed: rng.int(0, 2 ** 31),
			y: rng.range(0.45, 0.85),
			thickness: rng.range(0.06, 0.14),
			color: adjust(mean, 0, 0.6, 0.2),
			amount: rng.range(0.3, 0.55),
		},
		dark
			? {
					kind: 'particles',
					seed: rng.int(0, 2 ** 31),
					density: 260,
					top: 0,
					bottom: 0.7,
					size: 0.7,
					color: [1, 0.97, 0.92],
					darkOnly: true,
					flare: 0.4,
				}
			: {
					kind: 'clouds',
					seed: rng.int(0, 2 ** 31),
					top: 0.02,
					bottom: rng.range(0.3, 0.5),
					cover: rng.range(0.25, 0.45),
					lit: adjust(light, 0, 0.5, 0.1),
					shadow: adjust(mean, 0, 0.7, -0.05),
					opacity: 0.5,
					stretch: 2.5,
				},
	]
	const picked: LayerSpec[] = []
	for (let k = 0; k < count; k++) picked.push(options.splice(rng.int(0, options.length - 1), 1)[0])
	return picked
}

/**
 * A variation of an encoded latent: the colour field drifts (smooth noise plus a hue turn), the
 * image is displaced by a smooth warp (plus a slight zoom when strong), the residual's texture is
 * scaled, and strong variations gain motifs. Subtle stays close to the parent; strong moves
 * further. Same (latent, seed, strength) → same result.
 */
export function perturbLatent(latent: Latent, seed: number, strength: VaryStrength): Latent {
	const s = STRENGTH[strength]
	const rng = createRng(hashInts(seed, strength === 'subtle' ? 1 : 2))
	const { width, height } = latent
	const src = latent.field
	const field = createGrid(src.width, src.height, 3)
	// Drift is mostly in lightness (shared by the channels) and a little in hue per region, so
	// regions brighten, darken and warm up rather than breaking into off-colour blotches.
	const noise = (label: string) =>
		fbmGrid({
			width: src.width,
			height: src.height,
			rng: rng.fork(label),
			cells: 2,
			octaves: 2,
			gain: 0.5,
		})
	const lightDrift = noise('light')
	const hueDrift = noise('hue')
	const hue = rng.gauss() * s.hue
	const sat = 1 + rng.gauss() * s.finish * 0.3
	for (let c = 0; c < src.width * src.height; c++) {
		const turned = adjust(
			cellColour(src, c),
			hue + hueDrift.data[c] * s.hue * 0.8,
			sat,
			lightDrift.data[c] * s.colour,
		)
		field.data.set(turned, c * 3)
	}

	const wg = 8
	const warp = createGrid(wg, wg, 2)
	const unit = Math.min(width, height)
	const wx = fbmGrid({
		width: wg,
		height: wg,
		rng: rng.fork('wx'),
		cells: 2,
		octaves: 2,
		gain: 0.5,
	})
	const wy = fbmGrid({
		width: wg,
		height: wg,
		rng: rng.fork('wy'),
		cells: 2,
		octaves: 2,
		gain: 0.5,
	})
	const zoom = 1 + rng.next() * s.zoom
	const zx = rng.range(0.3, 0.7)
	const zy = rng.range(0.3, 0.7)
	for (let j = 0; j < wg; j++) {
		for (let i = 0; i < wg; i++) {
			const c = j * wg + i
			const px = ((i + 0.5) / wg - zx) * width
			const py = ((j + 0.5) / wg - zy) * height
			warp.data[c * 2] = wx.data[c] * s.warp * unit + px * (1 / zoom - 1)
			warp.data[c * 2 + 1] = wy.data[c] * s.warp * unit + py * (1 / zoom - 1)
		}
	}

	return {
		...latent,
		field,
		warp,
		detailGain: 1 + rng.gauss() * s.gain,
		layers: [...latent.layers, ...extraLayers(src, rng.fork('layers'), s.layers)],
		finish: {
			...NEUTRAL_FINISH,
			seed: rng.int(0, 2 ** 31),
			grain: 0.006,
			saturation: 1 + rng.gauss() * s.finish,
			contrast: 1 + rng.gauss() * s.finish * 0.4,
			vignette: strength === 'strong' ? rng.range(0, 0.2) : 0,
		},
	}
}
