import sharp from 'sharp'
import { writePngTextChunks } from '../../shared/provenance/pngText'
import { colourOf, hash32 } from './fakeHttp'

/**
 * The engine fakes' "sampler": real pixels that depend on prompt, model, seed and variation seed
 * the way a diffusion model's do (same inputs → same image; a variation seed at low strength stays
 * close to its seed's image), and img2img that keeps the init image where the mask says so.
 */

export interface Canvas {
	width: number
	height: number
	/** RGB, 3 bytes a pixel. */
	data: Uint8Array
}

function noiseCanvas(width: number, height: number, key: string): Canvas {
	const [r0, g0, b0] = colourOf(hash32(`a:${key}`))
	const [r1, g1, b1] = colourOf(hash32(`b:${key}`))
	const bands = 2 + (hash32(`n:${key}`) % 6)
	const data = new Uint8Array(width * height * 3)
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const t = (x / width + y / height) / 2
			const stripe = Math.sin(((x + y) / Math.max(width, height)) * Math.PI * bands) * 24
			const i = (y * width + x) * 3
			data[i] = clamp(r0 + (r1 - r0) * t + stripe)
			data[i + 1] = clamp(g0 + (g1 - g0) * t + stripe)
			data[i + 2] = clamp(b0 + (b1 - b0) * t + stripe)
		}
	}
	return { width, height, data }
}

function clamp(v: number): number {
	return v < 0 ? 0 : v > 255 ? 255 : Math.round(v)
}

function mix(a: Canvas, b: Canvas, weight: (pixel: number) => number): Canvas {
	const data = new Uint8Array(a.data.length)
	for (let p = 0; p < a.width * a.height; p++) {
		const w = weight(p)
		for (let c = 0; c < 3; c++)
			data[p * 3 + c] = clamp(a.data[p * 3 + c] * (1 - w) + b.data[p * 3 + c] * w)
	}
	return { width: a.width, height: a.height, data }
}

export interface PaintInput {
	width: number
	height: number
	prompt: string
	model: string
	seed: number
	subseed: number
	subseedStrength: number
}

/** txt2img: one candidate. */
export function paint(input: PaintInput): Canvas {
	const base = `${input.model}|${input.prompt}`
	const main = noiseCanvas(input.width, input.height, `${base}|${input.seed}`)
	if (input.subseedStrength <= 0) return main
	const sub = noiseCanvas(input.width, input.height, `${base}|${input.subseed}`)
	return mix(main, sub, () => input.subseedStrength)
}

/** Decodes any image to RGB at exactly width × height ("just resize", A1111's resize_mode 0). */
export async function decodeResized(
	bytes: Uint8Array,
	width: number,
	height: number,
): Promise<Canvas> {
	const data = await sharp(bytes)
		.resize(width, height, { fit: 'fill' })
		.removeAlpha()
		.raw()
		.toBuffer()
	return { width, height, data: new Uint8Array(data) }
}

/** Grey levels of a mask at width × height, 0–1 (white = repaint). */
export async function decodeMask(
	bytes: Uint8Array,
	width: number,
	height: number,
): Promise<Float32Array> {
	const data = await sharp(bytes)
		.resize(width, height, { fit: 'fill' })
		.removeAlpha()
		.greyscale()
		.raw()
		.toBuffer()
	return Float32Array.from(data, (v) => v / 255)
}

/** img2img: the init image repainted by `denoise`, only where the mask is white when one is given. */
export function repaint(
	init: Canvas,
	painted: Canvas,
	denoise: number,
	mask: Float32Array | null,
): Canvas {
	return mix(init, painted, (p) => (mask ? mask[p] * Math.max(denoise, 0.999) : denoise))
}

/** A preview partway through sampling: the finished image fading in from grey. */
export async function previewJpeg(canvas: Canvas, fraction: number): Promise<Buffer> {
	const grey: Canvas = { ...canvas, data: new Uint8Array(canvas.data.length).fill(128) }
	const partial = mix(grey, canvas, () => fraction)
	return sharp(partial.data, { raw: { width: canvas.width, height: canvas.height, channels: 3 } })
		.resize(64, 64, { fit: 'inside' })
		.jpeg({ quality: 60 })
		.toBuffer()
}

export async function encodePng(
	canvas: Canvas,
	textChunks: Array<[string, string]>,
): Promise<Uint8Array> {
	const png = await sharp(canvas.data, {
		raw: { width: canvas.width, height: canvas.height, channels: 3 },
	})
		.png({ compressionLevel: 1 })
		.toBuffer()
	return textChunks.length
		? writePngTextChunks(new Uint8Array(png), textChunks)
		: new Uint8Array(png)
}

/** Side by side, as A1111's grid (the first image of a batch answer when `return_grid` is on). */
export function grid(canvases: Canvas[]): Canvas {
	const cols = Math.ceil(Math.sqrt(canvases.length))
	const rows = Math.ceil(canvases.length / cols)
	const { width, height } = canvases[0]
	const out: Canvas = {
		width: width * cols,
		height: height * rows,
		data: new Uint8Array(width * cols * height * rows * 3),
	}
	canvases.forEach((c, k) => {
		const ox = (k % cols) * width
		const oy = Math.floor(k / cols) * height
		for (let y = 0; y < height; y++) {
			const from = y * width * 3
			out.data.set(c.data.subarray(from, from + width * 3), ((oy + y) * out.width + ox) * 3)
		}
	})
	return out
}
