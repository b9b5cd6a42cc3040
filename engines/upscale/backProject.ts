import sharp from 'sharp'
import type { RgbImage } from '../builtin/pixels'

async function resize(
	image: RgbImage,
	width: number,
	height: number,
	kernel: 'lanczos3' | 'cubic',
) {
	const out = await sharp(image.rgb, {
		raw: { width: image.width, height: image.height, channels: 3 },
	})
		.resize(width, height, { fit: 'fill', kernel })
		.raw()
		.toBuffer()
	return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}

/**
 * Iterative back-projection: nudges an upscaled image so that, downscaled again, it reproduces
 * its source — the residual (source − downscaled) is upsampled smoothly and added back. The
 * network's detail stays; what it got wrong at the source's own scale (thin lines, single-pixel
 * lights it smeared or over-sharpened) is pulled back. Each pass costs two sharp resizes.
 */
export async function backProject(
	upscaled: RgbImage,
	source: RgbImage,
	options: { iterations?: number; pause?: () => Promise<void> } = {},
): Promise<RgbImage> {
	const iterations = options.iterations ?? 2
	// Yields every ~1 M values: the 4× loops run over tens of millions.
	const step = 1 << 20
	const rgb = Uint8Array.from(upscaled.rgb)
	const current: RgbImage = { ...upscaled, rgb }
	for (let k = 0; k < iterations; k++) {
		const down = await resize(current, source.width, source.height, 'lanczos3')
		// The residual, offset by 128 to fit in bytes (residuals beyond ±127 are clipped).
		const residual = new Uint8Array(down.length)
		for (let i = 0; i < down.length; i++) {
			const r = source.rgb[i] - down[i] + 128
			residual[i] = r < 0 ? 0 : Math.min(r, 255)
		}
		const up = await resize(
			{ width: source.width, height: source.height, rgb: residual },
			current.width,
			current.height,
			'cubic',
		)
		for (let i = 0; i < rgb.length; i++) {
			if (i % step === step - 1) await options.pause?.()
			const v = rgb[i] + up[i] - 128
			rgb[i] = v < 0 ? 0 : Math.min(v, 255)
		}
	}
	return current
}
