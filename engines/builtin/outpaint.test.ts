import { describe, expect, it } from 'vitest'
import { outputDimensions, parentPlacement } from '../../shared/ops/geometry'
import { edges, generate, mean } from './testBackend'
import { cropRgb, meanAbsDiff, meanRgb, psnr, resizeRgb } from './testPixels'

/** Runs zoom_out or pan on a 256² parent at the shared geometry's sizes. */
async function outpaint(op: 'zoom_out' | 'pan', params: Record<string, unknown>, prompt: string) {
	const [parent] = await generate({ prompt, seeds: [9] })
	const dims = outputDimensions(op, params, parent.raw)
	const place = parentPlacement(op, params, parent.raw, dims)
	const outputs = await generate({
		op,
		prompt,
		params,
		parentPng: parent.png,
		seeds: [1, 2],
		...dims,
	})
	return { parent, dims, place, outputs }
}

function surroundMask(
	place: { x: number; y: number; width: number; height: number },
	width: number,
) {
	return (i: number) => {
		const x = i % width
		const y = Math.floor(i / width)
		return x < place.x || x >= place.x + place.width || y < place.y || y >= place.y + place.height
	}
}

describe('builtin backend: zoom_out', () => {
	it.each([
		[2, 'sunset over the ocean'],
		[1.5, 'misty pine forest'],
	])('contains the parent at 1/%s, centred', async (factor, prompt) => {
		const { parent, dims, place, outputs } = await outpaint('zoom_out', { factor }, prompt)
		for (const out of outputs) {
			expect([out.width, out.height]).toEqual([dims.width, dims.height])
			const centre = cropRgb(out.raw, place)
			// The centre crop is the parent at the crop's size…
			expect(
				psnr(centre, await resizeRgb(parent.raw.data, parent.raw, place)),
			).toBeGreaterThanOrEqual(40)
			// …and scaled back to the parent's size it still matches the parent.
			expect(
				psnr(await resizeRgb(centre, place, parent.raw), parent.raw.data),
			).toBeGreaterThanOrEqual(25)
		}
	})

	it('paints new content around the parent in its colours, different per seed', async () => {
		const { parent, dims, place, outputs } = await outpaint(
			'zoom_out',
			{ factor: 2 },
			'neon city at night',
		)
		const outside = surroundMask(place, dims.width)
		const [a, b] = outputs.map((o) => o.raw)
		const pixels = [...Array(dims.width * dims.height).keys()].filter(outside)
		// Not a copy of the parent's edge: there is structure (edges) out there.
		const edgeA = edges(a)
		expect(mean(pixels.map((i) => edgeA[i]))).toBeGreaterThan(0.3 * mean([...edges(parent.raw)]))
		// Different seeds paint different surrounds around the same centre.
		const diff = mean(pixels.map((i) => Math.abs(a.data[i * 3] - b.data[i * 3])))
		expect(diff).toBeGreaterThan(3)
		expect(meanAbsDiff(cropRgb(a, place), cropRgb(b, place))).toBe(0)
		// In the parent's palette: the surround's mean colour is far nearer the parent's than that
		// of another prompt's painting.
		const surround = [0, 1, 2].map((k) => mean(pixels.map((i) => a.data[i * 3 + k])))
		const distance = (m: { r: number; g: number; b: number }) =>
			Math.hypot(surround[0] - m.r, surround[1] - m.g, surround[2] - m.b)
		const [desert] = await generate({ prompt: 'golden desert dunes at noon', seeds: [9] })
		expect(distance(meanRgb(parent.raw))).toBeLessThan(0.3 * distance(meanRgb(desert.raw)))
	})
})

describe('builtin backend: pan', () => {
	it.each([
		['left', { x: 208, y: 0 }],
		['right', { x: 0, y: 0 }],
		['up', { x: 0, y: 208 }],
		['down', { x: 0, y: 0 }],
	] as const)(
		'extends %s: the parent, shifted, fills the overlap; the aspect ratio changes',
		async (direction, at) => {
			const { parent, dims, place, outputs } = await outpaint(
				'pan',
				{ direction },
				'neon city at night',
			)
			const sideways = direction === 'left' || direction === 'right'
			expect(dims).toEqual(sideways ? { width: 624, height: 416 } : { width: 416, height: 624 })
			expect(place).toMatchObject({ ...at, width: 416, height: 416 })
			for (const out of outputs) {
				const overlap = cropRgb(out.raw, place)
				expect(
					psnr(overlap, await resizeRgb(parent.raw.data, parent.raw, place)),
				).toBeGreaterThanOrEqual(40)
				// At the other end it does not match: the parent really moved.
				const wrong = {
					...place,
					x: dims.width - place.width - place.x,
					y: dims.height - place.height - place.y,
				}
				expect(psnr(cropRgb(out.raw, wrong), overlap)).toBeLessThan(25)
			}
		},
	)
})

describe('builtin backend: outpainting and remix cooperate', () => {
	it('gives byte-identical zoom_out and pan results for the same inputs', async () => {
		const [parent] = await generate({ seeds: [9], width: 128, height: 128 })
		for (const [op, params] of [
			['zoom_out', { factor: 1.5 }],
			['pan', { direction: 'up' }],
		] as const) {
			const size = outputDimensions(op, params, parent.raw)
			const run = () => generate({ op, params, parentPng: parent.png, seeds: [4], ...size })
			const [[a], [b]] = [await run(), await run()]
			expect(Buffer.from(a.png).equals(Buffer.from(b.png)), op).toBe(true)
		}
	})

	it('never blocks the event loop for long while remixing, zooming or panning 512² parents', async () => {
		const [parent] = await generate({ seeds: [9], width: 512, height: 512 })
		const draft = { width: 512, height: 512 }
		const job = (op: 'remix' | 'zoom_out' | 'pan', params: Record<string, unknown>) => ({
			op,
			params,
			prompt: op === 'remix' ? 'misty pine forest' : 'sunset over the ocean',
			parentPng: parent.png,
			seeds: [1, 2],
			...outputDimensions(op, params, draft),
		})
		const jobs = [
			job('remix', {}),
			job('zoom_out', { factor: 2 }),
			job('pan', { direction: 'left' }),
		]
		let last = performance.now()
		const gaps: number[] = []
		const probe = setInterval(() => {
			const now = performance.now()
			gaps.push(now - last)
			last = now
		}, 2)
		try {
			for (const job of jobs) await generate(job)
		} finally {
			clearInterval(probe)
		}
		gaps.sort((a, b) => b - a)
		// As the imagine/vary test: the timer keeps firing through the work (a painter that never
		// yields gives one tick per await); ticks are counted, not timed.
		const median = gaps[Math.floor(gaps.length / 2)]
		expect(gaps.length).toBeGreaterThan(jobs.length * 2 * 10)
		expect(median).toBeLessThan(40)
	})
})
