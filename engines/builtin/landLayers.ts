import { adjust, hex, luminance, mix, type Rgb } from './color'
import type { LayerSpec } from './layers/types'
import type { Rng } from './prng'
import type { Composition } from './scene'

const WHITE: Rgb = [1, 1, 1]
const seedOf = (rng: Rng) => rng.int(0, 2 ** 31 - 1)
const darken = (c: Rgb, k: number) => adjust(c, 0, 1.05, -k)

function mountains(c: Composition, rng: Rng, light: number): LayerSpec[] {
	const { tones: t, horizon } = c
	const misty = c.motifs.has('mist')
	const layers: LayerSpec[] = []
	const n = rng.int(2, 3)
	for (let k = 0; k < n; k++) {
		const color = mix(t.land[0], t.land[1], k / (n - 1))
		layers.push({
			kind: 'ridge',
			seed: seedOf(rng),
			base: horizon - (0.2 - 0.07 * k) + rng.range(-0.03, 0.03),
			amplitude: 0.13 - 0.03 * k,
			roughness: 0.8 - 0.2 * k,
			cells: 2 + k,
			color,
			shade: darken(color, 0.12),
			haze: t.haze,
			hazeAmount: 0.55 - (0.45 * k) / (n - 1),
			light,
			snow: k < 2 ? c.style.snow : 0,
			snowColor: mix(WHITE, t.sky[1], 0.15),
		})
		if (misty && k < n - 1) {
			const y = horizon - 0.08 + 0.05 * k
			layers.push({
				kind: 'mist',
				seed: seedOf(rng),
				y,
				thickness: 0.05,
				color: t.haze,
				amount: 0.45,
			})
		}
	}
	return layers
}

function hills(c: Composition, rng: Rng, light: number): LayerSpec[] {
	const { tones: t, horizon } = c
	const dunes = c.motifs.has('dunes')
	const layers: LayerSpec[] = []
	const n = rng.int(2, 3)
	// In front of mountains, foothills continue the darkening; alone, they span the land colours.
	const behind = c.motifs.has('mountains')
	for (let k = 0; k < n; k++) {
		const color = behind
			? adjust(t.land[1], 0, 1, -0.05 * (k + 1))
			: mix(t.land[0], t.land[1], (k + 0.5) / n)
		layers.push({
			kind: 'ridge',
			seed: seedOf(rng),
			base: horizon - 0.03 + (k * (0.85 - horizon)) / n,
			amplitude: dunes ? 0.07 : 0.05,
			roughness: dunes ? 0.02 : 0.12,
			cells: dunes ? 1 + k : 2 + k,
			color,
			shade: darken(color, 0.1),
			haze: t.haze,
			hazeAmount: (behind ? 0.15 : 0.35) * (1 - k / n),
			light: light * (dunes ? 3 : 1.2),
			snow: 0,
			snowColor: WHITE,
		})
	}
	return layers
}

function city(c: Composition, rng: Rng): LayerSpec[] {
	const { tones: t, horizon } = c
	const ground = c.motifs.has('water') || c.motifs.has('grid')
	const night = luminance(t.sky[1]) < 0.3
	const layers: LayerSpec[] = []
	// A far hazy block at the horizon; without water or a floor, a near one down to the bottom.
	for (let k = 0; k < (ground ? 1 : 2); k++) {
		const color = adjust(mix(t.land[0], t.land[1], 0.4 + 0.4 * k), 0, 0.8, -0.05 * k)
		const base = k === 0 ? horizon + 0.005 : 1.01
		layers.push({
			kind: 'skyline',
			seed: seedOf(rng),
			base,
			height: k === 0 ? rng.range(0.22, 0.34) : rng.range(0.28, 0.4) + (base - horizon) * 0.6,
			color,
			shade: darken(color, 0.08),
			windows: c.style.windows,
			lit: night ? rng.range(0.16, 0.3) : rng.range(0.04, 0.1),
			haze: t.haze,
			hazeAmount: k === 0 ? 0.35 : 0.05,
		})
	}
	return layers
}

function trees(c: Composition, rng: Rng, light: number): LayerSpec[] {
	const { tones: t, horizon } = c
	const misty = c.motifs.has('mist')
	const shore = c.motifs.has('water')
	const layers: LayerSpec[] = []
	const n = shore ? 1 : rng.int(2, 4)
	for (let k = 0; k < n; k++) {
		// The nearest band is a few tall trees standing in front, framing the scene.
		const near = k === n - 1 && n > 1
		const color = mix(t.land[0], t.land[1], (k + 1) / n)
		const base = shore ? horizon + 0.004 : horizon + 0.02 + (k * (0.98 - horizon)) / n
		layers.push({
			kind: 'treeline',
			seed: seedOf(rng),
			base: near ? 1.02 : base,
			height: near ? rng.range(0.25, 0.38) : (shore ? 0.06 : 0.09) + 0.05 * k,
			count: near ? rng.range(6, 11) : rng.range(22, 34) - 5 * k,
			color,
			shade: darken(color, 0.06),
			haze: mix(t.haze, WHITE, 0.1),
			hazeAmount: 0.65 * (1 - k / n) + (misty ? 0.1 : 0),
			light,
		})
		if (misty && k < n - 1) {
			const color = mix(t.haze, WHITE, 0.25)
			layers.push({
				kind: 'mist',
				seed: seedOf(rng),
				y: base + 0.02,
				thickness: 0.035,
				color,
				amount: 0.5,
			})
		}
	}
	return layers
}

/** The land and what stands on it, far to near: ranges, hills, water or floor, city, forest. */
export function landLayers(c: Composition, rng: Rng): LayerSpec[] {
	const { motifs: m, tones: t, horizon, orb, s } = c
	const light = orb ? (orb.x < 0.5 ? -1 : 1) : rng.pick([-1, 1])
	const layers: LayerSpec[] = []
	if (m.has('mist') || m.has('water')) {
		const color = mix(t.haze, WHITE, 0.2)
		const amount = m.has('mist') ? 0.5 : 0.25
		layers.push({
			kind: 'mist',
			seed: seedOf(rng),
			y: horizon - 0.01,
			thickness: 0.04,
			color,
			amount,
		})
	}
	if (m.has('mountains')) layers.push(...mountains(c, rng.fork('mountains'), light))
	if (m.has('hills') || m.has('dunes')) layers.push(...hills(c, rng.fork('hills'), light))
	if (m.has('water')) {
		layers.push({
			kind: 'water',
			seed: seedOf(rng),
			horizon,
			// Water takes the sky's colour: a blue sea under a sunset reads as grey, not as sea.
			surface: adjust(mix(t.sky[1], t.water[0], 0.4), 0, 1, -0.12),
			deep: mix(t.water[1], t.sky[0], 0.3),
			reflectivity: rng.range(0.75, 0.95),
			ripple: rng.range(0.6, 1.2),
			glintX: orb ? orb.x : null,
			glintColor: t.accent,
			glint: 0.5 + 0.5 * s,
		})
	} else if (m.has('grid')) {
		layers.push({
			kind: 'gridFloor',
			horizon,
			ground: darken(t.land[1], 0.05),
			line: adjust(t.accent, 0, 1.2, 0.05),
			lines: rng.range(12, 20),
			vanishX: 0.5 + rng.range(-0.12, 0.12),
		})
	}
	if (m.has('city')) layers.push(...city(c, rng.fork('city')))
	if (m.has('trees')) layers.push(...trees(c, rng.fork('trees'), light))
	return layers
}

/** Atmosphere in front of everything: low fog, embers, snowfall, print stripes. */
export function overlayLayers(c: Composition, rng: Rng): LayerSpec[] {
	const { motifs: m, tones: t, horizon, s } = c
	const layers: LayerSpec[] = []
	if (m.has('mist')) {
		layers.push({
			kind: 'mist',
			seed: seedOf(rng),
			y: rng.range(horizon + 0.1, 0.95),
			thickness: 0.07,
			color: mix(t.haze, WHITE, 0.3),
			amount: rng.range(0.25, 0.45),
		})
	}
	if (m.has('embers')) {
		// Firelight from below the frame, then sparks rising through it.
		const glow = t.accent
		layers.push({
			kind: 'orb',
			x: rng.range(0.3, 0.7),
			y: 1.15,
			radius: 0.3,
			core: glow,
			rim: glow,
			glow,
			halo: 0.35 + 0.3 * s,
			spread: 2.2,
			bands: 0,
			disc: 0,
		})
		layers.push({
			kind: 'particles',
			seed: seedOf(rng),
			density: rng.range(120, 220),
			top: 0.15,
			bottom: 1,
			size: 1,
			color: mix(t.accent, hex('#ff7a1a'), 0.5),
			darkOnly: false,
			flare: 0.15,
		})
	}
	if (m.has('snowfall')) {
		layers.push({
			kind: 'particles',
			seed: seedOf(rng),
			density: rng.range(200, 320),
			top: 0,
			bottom: 1,
			size: 0.9,
			color: WHITE,
			darkOnly: false,
			flare: 0,
		})
	}
	if (m.has('stripes')) {
		layers.push({
			kind: 'stripes',
			angle: rng.pick([0, Math.PI / 4, -Math.PI / 4, Math.PI / 2]) + rng.range(-0.1, 0.1),
			period: rng.range(0.07, 0.16),
			phase: rng.next(),
			colors: [t.sky[1], t.accent, t.land[0]],
			opacity: 0.2 + 0.25 * s,
		})
	}
	return layers
}
