import { createGridSampler } from './grid'
import type { Finish, Latent } from './latent'
import { createLayer } from './layers/createLayer'
import type { Layer } from './layers/types'
import { pixelNoise } from './prng'

export interface DecodeContext {
	/**
	 * Awaited between row bands: the caller yields to the event loop there when its time slice is
	 * used up, and throws if the job was aborted.
	 */
	pause: () => Promise<void>
	/** Fraction of this decode done, 0–1, non-decreasing. */
	onProgress?: (fraction: number) => void
}

/** Rows painted between pauses: ~1–3 ms of work at 512 px wide. */
const BAND_ROWS = 8

/** Bilinear read of a float RGB image at (sx, sy), clamped to its edges, into row pixel i. */
function sampleInto(
	src: Float32Array,
	width: number,
	height: number,
	sx: number,
	sy: number,
	row: Float32Array,
	i: number,
): void {
	const fx = sx < 0 ? 0 : Math.min(sx, width - 1)
	const fy = sy < 0 ? 0 : Math.min(sy, height - 1)
	const x0 = Math.floor(fx)
	const y0 = Math.floor(fy)
	const x1 = x0 + 1 < width ? x0 + 1 : x0
	const y1 = y0 + 1 < height ? y0 + 1 : y0
	const tx = fx - x0
	const ty = fy - y0
	const a = (y0 * width + x0) * 3
	const b = (y0 * width + x1) * 3
	const c = (y1 * width + x0) * 3
	const d = (y1 * width + x1) * 3
	for (let k = 0; k < 3; k++) {
		const top = src[a + k] + (src[b + k] - src[a + k]) * tx
		const bottom = src[c + k] + (src[d + k] - src[c + k]) * tx
		row[i + k] = top + (bottom - top) * ty
	}
}

/** Tone, colour, vignette, grain and 8-bit quantisation of one finished float row. */
function finishRow(
	f: Finish,
	y: number,
	row: Float32Array,
	out: Uint8Array,
	offset: number,
	vignetteX: Float32Array,
	vignetteY: number,
): void {
	const width = vignetteX.length
	const poster = f.posterize
	for (let x = 0; x < width; x++) {
		const i = x * 3
		let r = row[i]
		let g = row[i + 1]
		let b = row[i + 2]
		const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
		r = lum + (r - lum) * f.saturation
		g = lum + (g - lum) * f.saturation
		b = lum + (b - lum) * f.saturation
		const v = (1 - f.vignette * (vignetteX[x] + vignetteY)) * f.contrast
		const pivot = 0.5 - 0.5 * f.contrast
		r = r * v + pivot
		g = g * v + pivot
		b = b * v + pivot
		if (poster > 0) {
			r += (Math.round(r * f.levels) / f.levels - r) * poster
			g += (Math.round(g * f.levels) / f.levels - g) * poster
			b += (Math.round(b * f.levels) / f.levels - b) * poster
		}
		const n = f.grain * pixelNoise(x, y, f.seed)
		const o = offset + i
		// Round half up, then clamp: Uint8Array assignment would wrap, not clamp.
		const R = (r + n) * 255 + 0.5
		const G = (g + n) * 255 + 0.5
		const B = (b + n) * 255 + 0.5
		out[o] = R < 0 ? 0 : Math.min(R, 255)
		out[o + 1] = G < 0 ? 0 : Math.min(G, 255)
		out[o + 2] = B < 0 ? 0 : Math.min(B, 255)
	}
}

/**
 * Paints a latent into width × height × 3 RGB bytes, top to bottom, one band of rows at a time,
 * pausing between bands. Deterministic: the pauses change when work happens, never what it does.
 */
export async function decodeLatent(latent: Latent, ctx: DecodeContext): Promise<Uint8Array> {
	const { width, height } = latent
	const stride = width * 3
	const image = new Float32Array(width * height * 3)
	const out = new Uint8Array(width * height * 3)
	const target = { width, height, image }
	const layers: Layer[] = []
	for (const spec of latent.layers) {
		layers.push(createLayer(spec, target))
		await ctx.pause()
	}
	const fieldRow = createGridSampler(latent.field, width, height)
	const report = (fraction: number) => ctx.onProgress?.(fraction)

	// An encoded latent: rebuild the source image (field + residual) first, then warp-sample it.
	let source: Float32Array | null = null
	const sourceShare = latent.detail ? 0.25 : 0
	if (latent.detail) {
		source = new Float32Array(width * height * 3)
		const tmp = new Float32Array(stride)
		for (let y = 0; y < height; y++) {
			fieldRow(y, tmp)
			const o = y * stride
			for (let i = 0; i < stride; i++)
				source[o + i] = tmp[i] + latent.detailGain * latent.detail[o + i]
			if (y % (BAND_ROWS * 2) === 0) {
				report((sourceShare * y) / height)
				await ctx.pause()
			}
		}
	}
	const warpRow = latent.warp ? createGridSampler(latent.warp, width, height) : null
	const offsets = new Float32Array(width * 2)

	const vignetteX = new Float32Array(width)
	for (let x = 0; x < width; x++) vignetteX[x] = 0.5 * ((2 * (x + 0.5)) / width - 1) ** 2
	for (let y = 0; y < height; y++) {
		const row = image.subarray(y * stride, (y + 1) * stride)
		if (source) {
			if (warpRow) {
				warpRow(y, offsets)
				for (let x = 0; x < width; x++) {
					sampleInto(source, width, height, x + offsets[x * 2], y + offsets[x * 2 + 1], row, x * 3)
				}
			} else row.set(source.subarray(y * stride, (y + 1) * stride))
		} else fieldRow(y, row)
		for (const layer of layers) layer.paintRow(y, row)
		const vy = 0.5 * ((2 * (y + 0.5)) / height - 1) ** 2
		finishRow(latent.finish, y, row, out, y * stride, vignetteX, vy)
		if (y % BAND_ROWS === BAND_ROWS - 1) {
			report(sourceShare + ((1 - sourceShare) * (y + 1)) / height)
			await ctx.pause()
		}
	}
	report(1)
	return out
}
