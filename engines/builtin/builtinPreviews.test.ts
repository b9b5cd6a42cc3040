import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { PREVIEW_MAX_PX } from '../previews'
import { type GenerateInput, toGenerateRequest } from '../request'
import type { PreviewImage } from '../types'
import { createBuiltinBackend } from './builtinBackend'
import { request } from './testBackend'
import { meanAbsDiff } from './testPixels'

const SEEDS = [11, 22, 33, 44]

async function run(input: GenerateInput, withPreviews: boolean) {
	const req = await toGenerateRequest(input)
	const previews: PreviewImage[] = []
	const progress: number[] = []
	const images = await createBuiltinBackend().generate(req, {
		signal: new AbortController().signal,
		onProgress: (f) => progress.push(f),
		...(withPreviews ? { onPreview: (image: PreviewImage) => previews.push(image) } : {}),
	})
	return { images, previews, progress }
}

async function rawOf(bytes: Uint8Array, width?: number, height?: number) {
	const { data, info } = await sharp(bytes)
		.resize(width, height, { fit: 'fill' })
		.removeAlpha()
		.raw()
		.toBuffer({ resolveWithObject: true })
	return { data: new Uint8Array(data), info }
}

describe('builtin backend: live previews', () => {
	it('paints coarse-to-fine sheets of the grid without changing the output bytes', async () => {
		const req = request({ seeds: SEEDS, width: 384, height: 256 })
		const plain = await run(req, false)
		const previewed = await run(req, true)
		expect(plain.previews).toHaveLength(0)
		expect(previewed.images.map((i) => Buffer.from(i.png).toString('base64'))).toEqual(
			plain.images.map((i) => Buffer.from(i.png).toString('base64')),
		)
		// Two coarse passes of four candidates, then three finished ones (the fourth is the result).
		expect(previewed.previews).toHaveLength(11)
		for (const preview of previewed.previews) {
			expect(preview.mime).toBe('image/webp')
			const meta = await sharp(preview.bytes).metadata()
			expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBeLessThanOrEqual(PREVIEW_MAX_PX)
			// The sheet keeps the node's 2 × 2 layout of 3:2 images.
			expect(meta.width! / meta.height!).toBeCloseTo(1.5, 1)
		}
		const sheets = await Promise.all(previewed.previews.map((p) => rawOf(p.bytes)))
		for (let i = 1; i < sheets.length; i++)
			expect(meanAbsDiff(sheets[i].data, sheets[i - 1].data)).toBeGreaterThan(0)
		// Each preview refines toward the result: the first candidate's cell gets closer to image 0.
		const { width, height } = sheets[0].info
		const cell = (sheet: Uint8Array) => {
			const out = new Uint8Array((width / 2) * (height / 2) * 3)
			for (let y = 0; y < height / 2; y++)
				out.set(sheet.subarray(y * width * 3, (y * width + width / 2) * 3), (y * width * 3) / 2)
			return out
		}
		const final = await rawOf(previewed.images[0].png, width / 2, height / 2)
		const distance = (i: number) => meanAbsDiff(cell(sheets[i].data), final.data)
		const coarsest = distance(0)
		const finer = distance(4)
		const finished = distance(8)
		expect(finer).toBeLessThan(coarsest)
		expect(finished).toBeLessThan(finer)
		expect(finished).toBeLessThan(6)
		// Progress still climbs to 1 without stepping back.
		expect(previewed.progress.at(-1)).toBe(1)
		expect(previewed.progress).toEqual([...previewed.progress].sort((a, b) => a - b))
	})

	it('shows the parent as the preview of an upscale', async () => {
		const [parent] = (await run(request({ seeds: [3], width: 128, height: 128 }), false)).images
		const { previews } = await run(
			request({
				op: 'upscale',
				seeds: [1],
				width: 256,
				height: 256,
				parentPng: parent.png,
				params: { mode: 'subtle', factor: 2 },
			}),
			true,
		)
		expect(previews).toHaveLength(1)
		const shown = await rawOf(previews[0].bytes, 128, 128)
		const original = await rawOf(parent.png)
		expect(meanAbsDiff(shown.data, original.data)).toBeLessThan(8)
	})
})
