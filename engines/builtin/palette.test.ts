import { describe, expect, it } from 'vitest'
import { luminance } from './color'
import { promptStyle } from './palette'

describe('promptStyle', () => {
	it.each([
		['sunset over the ocean', ['orb', 'water']],
		['misty pine forest', ['trees', 'mist']],
		['neon city at night', ['city', 'stars', 'grid']],
		['snowy mountains', ['mountains', 'snowfall']],
		['Deserts, DUNES!', ['dunes']],
	] as const)('reads %j as asking for %j', (prompt, motifs) => {
		const style = promptStyle(prompt, null)
		for (const m of motifs) expect(style.motifs[m], m).toBeGreaterThanOrEqual(0.5)
	})

	it('makes night skies dark and snow light', () => {
		expect(luminance(promptStyle('night', null).sky[1])).toBeLessThan(0.15)
		expect(luminance(promptStyle('snow', null).land[0])).toBeGreaterThan(0.7)
	})

	it('vetoes motifs named in the negative prompt', () => {
		expect(promptStyle('starry night', null).motifs.stars).toBeGreaterThan(0.5)
		expect(promptStyle('starry night', 'stars').motifs.stars).toBeLessThan(0.5)
	})

	it('gives unknown prompts a stable palette of their own', () => {
		const a = promptStyle('a bowl of fruit', null)
		expect(promptStyle('a bowl of fruit', null)).toEqual(a)
		expect(promptStyle('an old lighthouse keeper', null).sky).not.toEqual(a.sky)
	})
})
