import sharp from 'sharp'

/** Test helpers: decode PNG bytes with sharp (an independent decoder) and compare images. */

export interface RawImage {
	width: number
	height: number
	channels: number
	data: Uint8Array
}

export async function decodePng(png: Uint8Array): Promise<RawImage> {
	const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
	return {
		width: info.width,
		height: info.height,
		channels: info.channels,
		data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
	}
}

/** Mean absolute difference per channel value, 0–255. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
	if (a.length !== b.length) throw new Error(`size mismatch: ${a.length} vs ${b.length}`)
	let sum = 0
	for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
	return sum / a.length
}

/** Mean of each RGB channel. */
export function meanRgb(raw: RawImage): { r: number; g: number; b: number } {
	let r = 0
	let g = 0
	let b = 0
	const n = raw.width * raw.height
	for (let p = 0; p < n; p++) {
		r += raw.data[p * raw.channels]
		g += raw.data[p * raw.channels + 1]
		b += raw.data[p * raw.channels + 2]
	}
	return { r: r / n, g: g / n, b: b / n }
}

/** Peak signal-to-noise ratio of two same-size 8-bit buffers, in dB (Infinity when equal). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
	if (a.length !== b.length) throw new Error(`size mismatch: ${a.length} vs ${b.length}`)
	let se = 0
	for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2
	return se === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255 * a.length) / se)
}

/** Raw RGB bytes resized with sharp (an independent resampler), as raw RGB bytes. */
export async function resizeRgb(
	rgb: Uint8Array,
	from: { width: number; height: number },
	to: { width: number; height: number },
): Promise<Uint8Array> {
	const out = await sharp(rgb, { raw: { ...from, channels: 3 } })
		.resize(to.width, to.height, { fit: 'fill', kernel: 'lanczos3' })
		.raw()
		.toBuffer()
	return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/** The RGB bytes of a rectangle of a raw image. */
export function cropRgb(
	raw: RawImage,
	r: { x: number; y: number; width: number; height: number },
): Uint8Array {
	const out = new Uint8Array(r.width * r.height * 3)
	for (let y = 0; y < r.height; y++) {
		for (let x = 0; x < r.width; x++) {
			const s = ((r.y + y) * raw.width + r.x + x) * raw.channels
			out.set(raw.data.subarray(s, s + 3), (y * r.width + x) * 3)
		}
	}
	return out
}

/** Sobel gradient magnitude of an RGB image's luminance (the edge map). */
export function sobelMagnitude(rgb: Uint8Array, width: number, height: number): Float32Array {
	const lum = new Float32Array(width * height)
	for (let p = 0; p < lum.length; p++)
		lum[p] = 0.2126 * rgb[p * 3] + 0.7152 * rgb[p * 3 + 1] + 0.0722 * rgb[p * 3 + 2]
	const at = (x: number, y: number) =>
		lum[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]
	const out = new Float32Array(width * height)
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const gx =
				at(x + 1, y - 1) +
				2 * at(x + 1, y) +
				at(x + 1, y + 1) -
				at(x - 1, y - 1) -
				2 * at(x - 1, y) -
				at(x - 1, y + 1)
			const gy =
				at(x - 1, y + 1) +
				2 * at(x, y + 1) +
				at(x + 1, y + 1) -
				at(x - 1, y - 1) -
				2 * at(x, y - 1) -
				at(x + 1, y - 1)
			out[y * width + x] = Math.hypot(gx, gy)
		}
	}
	return out
}

/** Pearson correlation of two equal-length series. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
	const n = a.length
	let ma = 0
	let mb = 0
	for (let i = 0; i < n; i++) {
		ma += a[i] / n
		mb += b[i] / n
	}
	let sab = 0
	let saa = 0
	let sbb = 0
	for (let i = 0; i < n; i++) {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) ** 2
		sbb += (b[i] - mb) ** 2
	}
	return sab / Math.sqrt(saa * sbb)
}
