import { describe, expect, it } from 'vitest'
import { colourDistance, generate, mean } from './testBackend'
import { meanAbsDiff } from './testPixels'

describe('builtin backend: reroll', () => {
	it('is imagine with the seeds it is given', async () => {
		const params = { chaos: 30, stylize: 200 }
		const [a] = await generate({ op: 'reroll', params, seeds: [77] })
		const [b] = await generate({ op: 'imagine', params, seeds: [77] })
		const [c] = await generate({ op: 'reroll', params, seeds: [78] })
		expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true)
		expect(meanAbsDiff(a.raw.data, c.raw.data)).toBeGreaterThan(5)
	})

	it('spreads candidates wider as chaos grows, in pixels and in palette', async () => {
		const spread = async (chaos: number) => {
			const pixels: number[] = []
			const palette: number[] = []
			for (const prompt of ['sunset over the ocean', 'misty pine forest', 'neon city at night']) {
				const raws = (
					await generate({
						prompt,
						params: { chaos },
						seeds: [11, 22, 33, 44],
						width: 128,
						height: 128,
					})
				).map((i) => i.raw)
				for (let i = 0; i < 4; i++)
					for (let j = i + 1; j < 4; j++) {
						pixels.push(meanAbsDiff(raws[i].data, raws[j].data))
						palette.push(colourDistance(raws[i], raws[j]))
					}
			}
			return { pixels: mean(pixels), palette: mean(palette) }
		}
		const [low, mid, high] = [await spread(0), await spread(50), await spread(100)]
		expect(mid.pixels).toBeGreaterThan(low.pixels)
		expect(high.pixels).toBeGreaterThan(low.pixels * 1.5)
		expect(mid.palette).toBeGreaterThan(low.palette * 1.5)
		expect(high.palette).toBeGreaterThan(low.palette * 2.5)
	})
})
