import { describe, expect, it } from 'vitest'
import type { GenerateInput } from '../request'
import { colourDistance, edges, generate } from './testBackend'
import { correlation, meanAbsDiff } from './testPixels'

describe('builtin backend: remix', () => {
	it.each([
		['sunset over the ocean', 'misty pine forest'],
		['neon city at night', 'golden desert dunes'],
		['snowy mountains under stars', 'tropical beach at noon'],
	])('keeps the layout of "%s" while the palette moves to "%s"', async (from, to) => {
		const [parent, sibling] = await generate({ prompt: from, seeds: [9, 10] })
		const remixes = await generate({
			op: 'remix',
			prompt: to,
			sourcePrompt: from,
			parentPng: parent.png,
			seeds: [1, 2, 3, 4],
		})
		const parentEdges = edges(parent.raw)
		// Another seed of the same prompt: same palette, different layout — the baseline.
		expect(correlation(parentEdges, edges(sibling.raw))).toBeLessThan(0.5)
		for (const remix of remixes) {
			expect(correlation(parentEdges, edges(remix.raw))).toBeGreaterThan(0.75)
			expect(colourDistance(parent.raw, remix.raw)).toBeGreaterThan(25)
		}
		for (let i = 1; i < 4; i++)
			expect(meanAbsDiff(remixes[0].raw.data, remixes[i].raw.data)).toBeGreaterThan(2)
	})

	it('gives byte-identical remixes for the same parent, prompt and seeds', async () => {
		const [parent] = await generate({ seeds: [9], width: 128, height: 128 })
		const remix: Partial<GenerateInput> = {
			op: 'remix',
			prompt: 'green forest',
			parentPng: parent.png,
			seeds: [5],
			width: 128,
			height: 128,
		}
		const [[a], [b]] = [await generate(remix), await generate(remix)]
		expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true)
	})
})
