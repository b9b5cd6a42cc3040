import { adjust, mix, type Rgb } from './color'
import type { LayerSpec } from './layers/types'
import type { Rng } from './prng'
import type { Composition } from './scene'

const WHITE: Rgb = [1, 1, 1]
const seedOf = (rng: Rng) => rng.int(0, 2 ** 31 - 1)

/** Everything above the land, back to front: stars, aurora, the light, clouds. */
export function skyLayers(c: Composition, rng: Rng): LayerSpec[] {
	const { motifs: m, tones: t, horizon, orb, s } = c
	const layers: LayerSpec[] = []
	if (m.has('stars')) {
		layers.push({
			kind: 'particles',
			seed: seedOf(rng),
			density: rng.range(380, 650),
			top: 0,
			// With no land, stars fill the frame.
			bottom: c.groundless ? 1 : horizon,
			size: 0.55,
			color: mix(WHITE, t.sky[2], 0.15),
			darkOnly: true,
			flare: 0.5,
		})
	}
	if (m.has('aurora')) {
		layers.push({
			kind: 'aurora',
			seed: seedOf(rng),
			y: horizon - rng.range(0.18, 0.32),
			height: rng.range(0.1, 0.18),
			low: t.accent,
			high: adjust(t.accent, 70, 1.1, -0.1),
			intensity: 0.85 + 0.4 * s,
		})
	}
	if (orb) layers.push(orb)
	else {
		// No sun or moon: still give the sky a soft source of light, so it isn't flat.
		const glow = mix(t.sky[2], t.accent, 0.3)
		layers.push({
			kind: 'orb',
			x: rng.range(0.2, 0.8),
			y: horizon - rng.range(0.1, 0.3),
			radius: 0.12,
			core: glow,
			rim: glow,
			glow,
			halo: 0.2 + 0.25 * s,
			spread: 3,
			bands: 0,
			disc: 0,
		})
	}
	if (m.has('clouds')) {
		layers.push({
			kind: 'clouds',
			seed: seedOf(rng),
			top: 0.02,
			bottom: horizon + 0.02,
			cover: Math.min(0.85, 0.25 + 0.35 * c.style.motifs.clouds + rng.range(-0.05, 0.15)),
			lit: adjust(mix(t.sky[2], t.accent, orb ? 0.55 : 0.15), 0, 1.1, 0.06),
			shadow: adjust(mix(t.sky[0], t.sky[1], 0.6), 0, 0.8, -0.04),
			opacity: 0.55 + 0.3 * s,
			stretch: rng.range(2.5, 5),
		})
	}
	return layers
}
