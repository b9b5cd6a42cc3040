import sharp from 'sharp'
import { UnrecoverableJobError } from '../errors'

/**
 * Pixel plumbing shared by the ops that start from an image: decoding any PNG to RGB at a size,
 * luminance, and a fast box blur. RGB buffers are width × height × 3, row-major.
 */

export interface RgbImage {
	width: number
	height: number
	rgb: Uint8Array
}

/**
 * Any image sharp reads (any size, colour type, alpha) → RGB bytes at width × height: `cover`
 * crops to fill (the default), `fill` stretches. An undecodable parent fails the job for good.
 */
export async function decodeToRgb(
	png: Uint8Array,
	width: number,
	height: number,
	fit: 'cover' | 'fill' = 'cover',
): Promise<Uint8Array> {
	try {
		const { data } = await sharp(png)
			.flatten({ background: { r: 0, g: 0, b: 0 } })
			.toColourspace('srgb')
			.resize(width, height, { fit, kernel: 'lanczos3' })
			.removeAlpha()
			.raw()
			.toBuffer({ resolveWithObject: true })
		return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
	} catch (err) {
		throw new UnrecoverableJobError(`The parent image could not be decoded: ${String(err)}`)
	}
}

/** Rec. 709 luminance per pixel, 0–255. */
export function luminanceOf(rgb: Uint8Array | Float32Array): Float32Array {
	const n = rgb.length / 3
	const out = new Float32Array(n)
	for (let p = 0; p < n; p++)
		out[p] = 0.2126 * rgb[p * 3] + 0.7152 * rgb[p * 3 + 1] + 0.0722 * rgb[p * 3 + 2]
	return out
}

/** One pass of a running-sum box blur along rows (stride 1) or columns, edges clamped. */
function blurLine(
	src: Float32Array,
	dst: Float32Array,
	start: number,
	step: number,
	length: number,
	radius: number,
): void {
	const norm = 1 / (2 * radius + 1)
	const at = (i: number) => src[start + Math.min(length - 1, Math.max(0, i)) * step]
	let sum = 0
	for (let i = -radius; i <= radius; i++) sum += at(i)
	for (let i = 0; i < length; i++) {
		dst[start + i * step] = sum * norm
		sum += at(i + radius + 1) - at(i - radius)
	}
}

export interface BlurOptions {
	width: number
	height: number
	/** Interleaved values per pixel: 1 for luminance, 3 for RGB. */
	channels: number
	radius: number
	/** 3 passes ≈ a Gaussian of sigma ≈ radius. Default 3. */
	passes?: number
	/** Awaited every few dozen lines, so a big blur doesn't hold the event loop. */
	pause?: () => Promise<void>
}

/**
 * Box blur of a `channels`-interleaved float image, edges clamped: O(pixels) whatever the
 * radius. Returns a new array.
 */
export async function boxBlur(src: Float32Array, o: BlurOptions): Promise<Float32Array> {
	const { width, height, channels } = o
	let a = Float32Array.from(src)
	let b = new Float32Array(src.length)
	const r = Math.max(0, Math.round(o.radius))
	if (r === 0) return a
	for (let pass = 0; pass < (o.passes ?? 3); pass++) {
		for (let y = 0; y < height; y++) {
			for (let k = 0; k < channels; k++)
				blurLine(a, b, y * width * channels + k, channels, width, r)
			if (y % 32 === 31) await o.pause?.()
		}
		;[a, b] = [b, a]
		for (let x = 0; x < width; x++) {
			for (let k = 0; k < channels; k++)
				blurLine(a, b, x * channels + k, width * channels, height, r)
			if (x % 32 === 31) await o.pause?.()
		}
		;[a, b] = [b, a]
	}
	return a
}

/** Float 0–255 → bytes, rounded and clamped (a plain Uint8Array store would wrap). */
export function toBytes(values: Float32Array): Uint8Array {
	const out = new Uint8Array(values.length)
	for (let i = 0; i < values.length; i++) {
		const v = values[i] + 0.5
		out[i] = v < 0 ? 0 : Math.min(v, 255)
	}
	return out
}
