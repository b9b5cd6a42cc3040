import { type GenerateInput, toGenerateRequest } from '../request'
import { createBuiltinBackend } from './builtinBackend'
import { decodePng, meanRgb, type RawImage, sobelMagnitude } from './testPixels'

/** Test helpers for the op tests: one backend, requests with defaults, decoded outputs. */

export const testBackend = createBuiltinBackend()

export function request(overrides: Partial<GenerateInput>): GenerateInput {
	return {
		op: 'imagine',
		prompt: 'sunset over the ocean',
		negativePrompt: null,
		params: { chaos: 0, stylize: 100 },
		seeds: [1],
		width: 256,
		height: 256,
		parentPng: null,
		...overrides,
	}
}

/** Generates and decodes every image (with sharp, an independent decoder). */
export async function generate(overrides: Partial<GenerateInput>) {
	const images = await testBackend.generate(await toGenerateRequest(request(overrides)), {
		signal: new AbortController().signal,
		onProgress: () => {},
	})
	return Promise.all(images.map(async (image) => ({ ...image, raw: await decodePng(image.png) })))
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** Distance between two images' mean colours, 0–441. */
export function colourDistance(a: RawImage, b: RawImage): number {
	const [x, y] = [meanRgb(a), meanRgb(b)]
	return Math.hypot(x.r - y.r, x.g - y.g, x.b - y.b)
}

export const edges = (raw: RawImage) => sobelMagnitude(raw.data, raw.width, raw.height)
