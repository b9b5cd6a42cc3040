import { adjust, hex, mix, type Rgb } from './color'
import { createGrid, fbmGrid, type Grid } from './grid'
import { landLayers, overlayLayers } from './landLayers'
import { type Finish, fieldSize, type Latent } from './latent'
import type { OrbSpec } from './layers/types'
import { MOTIFS, type MotifName } from './lexicon'
import type { Style } from './palette'
import { createRng, hashInts, type Rng } from './prng'
import { skyLayers } from './skyLayers'

export interface SceneOptions {
	style: Style
	seed: number
	/** 0 (four close candidates) … 100 (wild). */
	chaos: number
	/** 0 (plain) … 1000 (heavily stylised). */
	stylize: number
	width: number
	height: number
	/**
	 * Fraction of the height from the top where land meets sky, instead of the seed's choice
	 * (outpainting lines the new scene up with its parent's). The seed's draw still happens, so
	 * every later choice is the same as without it.
	 */
	horizon?: number
}

/** The palette after this candidate's jitter, plus derived tones the layers share. */
export interface Tones {
	sky: Rgb[]
	land: Rgb[]
	water: Rgb[]
	accent: Rgb
	haze: Rgb
}

/** One candidate's decisions, shared by the functions that lay out its layers. */
export interface Composition {
	style: Style
	motifs: Set<MotifName>
	tones: Tones
	/** Fraction of the height from the top. */
	horizon: number
	orb: OrbSpec | null
	/** No land motif: the sky runs to the bottom of the frame. */
	groundless: boolean
	/** Stylize strength, 0–1 (square root of stylize / 1000: the low end matters most). */
	s: number
}

const WHITE: Rgb = [1, 1, 1]
const GROUNDS: readonly MotifName[] = [
	'water',
	'grid',
	'mountains',
	'hills',
	'dunes',
	'trees',
	'city',
]
const seedOf = (rng: Rng) => rng.int(0, 2 ** 31 - 1)
const ease = (t: number) => t * t * (3 - 2 * t)

function jitterTones(style: Style, rng: Rng, chaos: number): Tones {
	const hue = rng.gauss() * (4 + 40 * chaos)
	const light = rng.gauss() * (0.015 + 0.06 * chaos)
	const j = (c: Rgb) =>
		adjust(c, hue + rng.gauss() * 10 * chaos, 1 + rng.gauss() * 0.15 * chaos, light)
	const sky = style.sky.map(j)
	return {
		sky,
		land: style.land.map(j),
		water: style.water.map(j),
		accent: j(style.accent),
		haze: mix(sky[2], sky[1], 0.25),
	}
}

/** Which motifs this candidate paints: fixed by the prompt at chaos 0, shuffled as chaos grows. */
function chooseMotifs(style: Style, rng: Rng, chaos: number): Set<MotifName> {
	const chosen = new Set<MotifName>()
	for (const m of MOTIFS) {
		if (style.motifs[m] - 0.5 + chaos * 0.7 * (rng.next() * 2 - 1) > 0) chosen.add(m)
	}
	// Something to stand on, unless the prompt is abstract or vetoes ground (space).
	const vetoed = style.motifs.hills < -0.5
	if (!GROUNDS.some((g) => chosen.has(g)) && !chosen.has('stripes') && !vetoed) chosen.add('hills')
	// Mountains alone leave a bare lower half: give them foothills to stand behind.
	if (chosen.has('mountains') && GROUNDS.filter((g) => chosen.has(g)).length === 1)
		chosen.add('hills')
	if (chosen.has('water')) chosen.delete('grid')
	return chosen
}

function skyField(o: SceneOptions, t: Tones, horizon: number, orb: OrbSpec | null, rng: Rng): Grid {
	const { gw, gh } = fieldSize(o.width, o.height)
	const field = createGrid(gw, gh, 3)
	const aspect = o.width / o.height
	const chaos = o.chaos / 100
	const noise = fbmGrid({ width: gw, height: gh, rng, cells: 2, octaves: 3, gain: 0.5 })
	const midAt = rng.range(0.4, 0.65)
	for (let j = 0; j < gh; j++) {
		const v = (j + 0.5) / gh
		for (let i = 0; i < gw; i++) {
			const u = (i + 0.5) / gw
			const s = Math.min(1, v / horizon)
			let c =
				s < midAt
					? mix(t.sky[0], t.sky[1], ease(s / midAt))
					: mix(t.sky[1], t.sky[2], ease((s - midAt) / (1 - midAt)))
			if (v > horizon) c = mix(t.sky[2], t.sky[1], Math.min(1, (v - horizon) / (1 - horizon)))
			if (orb) {
				const d2 = ((u - orb.x) * aspect) ** 2 + (v - orb.y) ** 2
				c = mix(c, t.accent, 0.55 * Math.exp(-d2 / 0.06) * Math.min(1, orb.halo * 1.4))
			}
			const n = noise.data[j * gw + i]
			c = adjust(c, n * (3 + 15 * chaos), 1, n * (0.025 + 0.05 * chaos))
			field.data.set(c, (j * gw + i) * 3)
		}
	}
	return field
}

function makeOrb(o: SceneOptions, t: Tones, horizon: number, rng: Rng, s: number): OrbSpec {
	const moon = o.style.moon
	const y = moon ? horizon - rng.range(0.28, 0.45) : horizon - rng.range(0.06, 0.28)
	return {
		kind: 'orb',
		x: rng.range(0.18, 0.82),
		y: Math.max(0.1, y),
		radius: moon ? rng.range(0.035, 0.06) : rng.range(0.06, 0.11),
		core: moon ? hex('#f6f7ff') : mix(t.accent, WHITE, 0.65),
		rim: moon ? mix(t.accent, hex('#c9cfdf'), 0.5) : t.accent,
		glow: t.accent,
		halo: (moon ? 0.18 : 0.4) * (0.6 + 1.3 * s),
		spread: moon ? 2.5 : rng.range(2.5, 4.5),
		bands: o.style.motifs.grid > 0.5 && !moon ? 7 : 0,
		disc: 1,
	}
}

function finishFor(o: SceneOptions, rng: Rng, s: number): Finish {
	return {
		seed: seedOf(rng),
		grain: 0.01 + 0.012 * s,
		vignette: 0.05 + 0.4 * s,
		saturation: 0.9 + 0.4 * s,
		contrast: 0.98 + 0.12 * s,
		posterize: Math.max(0, (o.stylize / 1000 - 0.5) * 1.2),
		levels: 7,
	}
}

/**
 * Composes one candidate: the seed picks the composition (horizon, where the light is, the shapes
 * of crests and trees); the style picks colours and motifs; chaos widens palette jitter and lets
 * motifs come and go; stylize strengthens glow, saturation, vignette and, past 500, a poster look.
 */
export function composeScene(o: SceneOptions): Latent {
	const chaos = o.chaos / 100
	const s = Math.sqrt(o.stylize / 1000)
	const root = createRng(hashInts(o.seed, 0x5ce4e))
	const layout = root.fork('layout')
	const tones = jitterTones(o.style, root.fork('palette'), chaos)
	const motifs = chooseMotifs(o.style, root.fork('motifs'), chaos)
	const drawn = 0.6 + (layout.next() * 2 - 1) * (0.08 + 0.12 * chaos)
	const horizon = o.horizon ?? drawn
	const orb = motifs.has('orb') ? makeOrb(o, tones, horizon, layout.fork('orb'), s) : null
	const groundless = !GROUNDS.some((g) => motifs.has(g))
	const c: Composition = { style: o.style, motifs, tones, horizon, orb, groundless, s }
	return {
		width: o.width,
		height: o.height,
		field: skyField(o, tones, horizon, orb, layout.fork('field')),
		detail: null,
		detailGain: 0,
		warp: null,
		layers: [
			...skyLayers(c, layout.fork('sky')),
			...landLayers(c, layout.fork('land')),
			...overlayLayers(c, layout.fork('overlay')),
		],
		finish: finishFor(o, root.fork('finish'), s),
	}
}
