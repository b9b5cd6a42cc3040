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
