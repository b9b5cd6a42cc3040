import { boxBlur, luminanceOf, type RgbImage, toBytes } from './pixels'
import { hashInts, pixelNoise } from './prng'

export interface DetailOptions {
	seed: number
	/** The upscale factor: detail is sized below one source pixel, so it adds, not moves. */
	factor: number
	pause: () => Promise<void>
}

/** Local-contrast gain on the upscaled luminance (an unsharp mask at one source pixel). */
const CRISPNESS = 0.7
/** Painted micro-texture amplitude, in 0–255 levels, where the image has structure. */
const TEXTURE = 18
/** Share of that texture flat areas still get (skies keep a fine tooth, like paper). */
const FLAT_SHARE = 0.45

/** Smooth value noise on a lattice of `cell` pixels, [-1, 1), from the painter's pixel hash. */
function valueNoise(x: number, y: number, cell: number, seed: number): number {
	const u = x / cell
	const v = y / cell
	const i = Math.floor(u)
	const j = Math.floor(v)
	const fu = u - i
	const fv = v - j
	const su = fu * fu * (3 - 2 * fu)
	const sv = fv * fv * (3 - 2 * fv)
	const a = pixelNoise(i, j, seed)
	const b = pixelNoise(i + 1, j, seed)
	const c = pixelNoise(i, j + 1, seed)
	const d = pixelNoise(i + 1, j + 1, seed)
	return a + (b - a) * su + (c - a) * sv + (a - b - c + d) * su * sv
}

/**
 * The creative upscale's detail pass: crisper local contrast plus a seeded painterly
 * micro-texture (value noise finer than one source pixel, strongest where the image has edges
 * and structure), applied to luminance so colours don't speckle. Everything it adds is finer than
 * the source's pixels, so the image downscaled back still matches its source. Deterministic.
 */
export async function addPaintedDetail(image: RgbImage, o: DetailOptions): Promise<Uint8Array> {
	const { width, height, rgb } = image
	const lum = luminanceOf(rgb)
	const size = { width, height, channels: 1 }
	const soft = await boxBlur(lum, { ...size, radius: o.factor, passes: 2, pause: o.pause })
	await o.pause()
	// Structure mask: how much the luminance varies around each pixel at source-pixel scale.
	const variation = new Float32Array(width * height)
	for (let i = 0; i < variation.length; i++) variation[i] = Math.abs(lum[i] - soft[i])
	const mask = await boxBlur(variation, {
		...size,
		radius: o.factor * 2,
		passes: 2,
		pause: o.pause,
	})
	await o.pause()
	const seedA = hashInts(o.seed, 0xde7a11)
	const seedB = hashInts(o.seed, 0x7e87)
	const cell = Math.max(1.5, o.factor / 2)
	const out = new Float32Array(rgb.length)
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = y * width + x
			const structure = Math.min(1, mask[i] / 10)
			// Brush-like grain: fine value noise, a coarser octave stretched along x (strokes), and
			// per-pixel tooth.
			const noise =
				0.45 * valueNoise(x, y, cell, seedA) +
				0.3 * valueNoise(x / 2, y, o.factor, seedA ^ 0x5bd1) +
				0.25 * pixelNoise(x, y, seedB)
			const add =
				CRISPNESS * (lum[i] - soft[i]) +
				TEXTURE * noise * (FLAT_SHARE + (1 - FLAT_SHARE) * structure)
			out[i * 3] = rgb[i * 3] + add
			out[i * 3 + 1] = rgb[i * 3 + 1] + add
			out[i * 3 + 2] = rgb[i * 3 + 2] + add
		}
		if (y % 64 === 63) await o.pause()
	}
	return toBytes(out)
}
