import { adjust, type Rgb } from './color'
import { decodeLatent } from './decode'
import type { Style } from './palette'
import { boxBlur, luminanceOf, toBytes } from './pixels'
import { createRng, hashInts } from './prng'
import { composeScene } from './scene'

export interface RemixOptions {
	/** The parent, RGB at the output size. */
	parent: Uint8Array
	width: number
	height: number
	/** The edited prompt's style: where the new look comes from. */
	style: Style
	seed: number
	chaos: number
	stylize: number
	pause: () => Promise<void>
	onProgress?: (fraction: number) => void
}

/** Quantile bins of the new look's tone curve. */
const BINS = 64

/**
 * This seed's take on the look, so four remixes differ beyond the painting behind them: how
 * much the painting's layout colours the result (the rest follows the parent's tones), how much
 * of its texture shows, a hue turn, a saturation change and a tone shift, wider with chaos.
 */
function takeOf(seed: number, chaos: number) {
	const rng = createRng(hashInts(seed, 0x4e31))
	const c = chaos / 100
	return {
		spatial: rng.range(0.15, 0.6),
		texture: rng.range(0.06, 0.18),
		hue: rng.gauss() * (16 + 30 * c),
		saturation: Math.max(0.3, 1 + rng.gauss() * (0.2 + 0.2 * c)),
		/** Tone-curve exponent: below 1 lifts the parent's tones into the look's lighter colours. */
		gamma: Math.exp(rng.gauss() * (0.25 + 0.2 * c)),
		/** How much of the painting itself shows where the parent is plain. */
		content: rng.range(0.25, 0.45) + 0.2 * c,
	}
}

/**
 * Per tone quantile of `look`, the mean colour of its pixels at that quantile: the new palette
 * as a curve from darkest to brightest.
 */
function toneCurve(look: Uint8Array, lum: Float32Array): Float32Array {
	// Counting sort on quarter-levels of luminance: O(pixels), stable, plenty fine for quantiles.
	const bin = (v: number) => Math.min(1023, Math.max(0, Math.round(v * 4)))
	const starts = new Uint32Array(1025)
	for (const v of lum) starts[bin(v) + 1]++
	for (let b = 0; b < 1024; b++) starts[b + 1] += starts[b]
	const order = new Uint32Array(lum.length)
	for (let i = 0; i < lum.length; i++) order[starts[bin(lum[i])]++] = i
	const curve = new Float32Array(BINS * 3)
	for (let b = 0; b < BINS; b++) {
		const from = Math.floor((b * order.length) / BINS)
		const to = Math.max(from + 1, Math.floor(((b + 1) * order.length) / BINS))
		for (let i = from; i < to; i++)
			for (let k = 0; k < 3; k++) curve[b * 3 + k] += look[order[i] * 3 + k]
		for (let k = 0; k < 3; k++) curve[b * 3 + k] /= to - from
	}
	return curve
}

/** Each value's rank in its own distribution, 0–1 (ties share their mid-rank). */
function ranks(lum: Float32Array): Float32Array {
	const hist = new Float64Array(1024)
	const bin = (v: number) => Math.min(1023, Math.max(0, Math.round(v * 4)))
	for (const v of lum) hist[bin(v)]++
	const cdf = new Float64Array(1024)
	let seen = 0
	for (let b = 0; b < 1024; b++) {
		cdf[b] = (seen + hist[b] / 2) / lum.length
		seen += hist[b]
	}
	return Float32Array.from(lum, (v) => cdf[bin(v)])
}

function meanStd(values: Float32Array): { mean: number; std: number } {
	let sum = 0
	let sq = 0
	for (const v of values) {
		sum += v
		sq += v * v
	}
	const mean = sum / values.length
	return { mean, std: Math.sqrt(Math.max(1e-6, sq / values.length - mean * mean)) }
}

/**
 * Remix: the parent's layout in a new look. A fresh painting of the edited prompt (this seed's
 * composition) supplies the palette: the parent's tones are mapped, quantile for quantile, onto
 * that painting's colours, blended with where the painting puts its colours, and a touch of its
 * texture shows through. The parent's edges and shapes stay (its tone order is kept); colours,
 * mood and grain come from the new prompt. Same inputs → same bytes.
 */
export async function remixPixels(o: RemixOptions): Promise<Uint8Array> {
	const { width, height, parent } = o
	const look = await decodeLatent(
		composeScene({
			style: o.style,
			seed: o.seed,
			chaos: o.chaos,
			stylize: o.stylize,
			width,
			height,
		}),
		{ pause: o.pause, onProgress: (f) => o.onProgress?.(f * 0.7) },
	)
	const lumLook = luminanceOf(look)
	const lumParent = luminanceOf(parent)
	const take = takeOf(o.seed, o.chaos)
	const curve = toneCurve(look, lumLook)
	for (let b = 0; b < BINS; b++) {
		const c: Rgb = [curve[b * 3] / 255, curve[b * 3 + 1] / 255, curve[b * 3 + 2] / 255]
		const turned = adjust(c, take.hue, take.saturation)
		for (let k = 0; k < 3; k++) curve[b * 3 + k] = turned[k] * 255
	}
	await o.pause()
	// Colours follow a lightly smoothed rank, so the parent's grain doesn't turn into colour noise
	// where its histogram is dense; its edges are kept by the luminance target below.
	const grey = { width, height, channels: 1, pause: o.pause }
	const rank = ranks(await boxBlur(lumParent, { ...grey, radius: 1, passes: 2 }))
	const lookF = Float32Array.from(look)
	const rgb = { width, height, channels: 3, pause: o.pause }
	const layout = await boxBlur(lookF, {
		...rgb,
		radius: Math.max(4, Math.round(Math.min(width, height) / 14)),
	})
	const texture = await boxBlur(lookF, { ...rgb, radius: 2, passes: 1 })
	// Where the parent is plain (open sky, still water) the painting's own content shows through
	// faintly: new clouds, stars, light. Where the parent has structure, the parent leads.
	const smoothParent = await boxBlur(lumParent, { ...grey, radius: 3, passes: 2 })
	const busy = new Float32Array(width * height)
	for (let i = 0; i < busy.length; i++) busy[i] = Math.abs(lumParent[i] - smoothParent[i])
	const structure = await boxBlur(busy, { ...grey, radius: 6, passes: 2 })
	await o.pause()
	o.onProgress?.(0.85)
	const p = meanStd(lumParent)
	const l = meanStd(lumLook)
	const out = new Float32Array(width * height * 3)
	const tone = new Float32Array(3)
	const colour = new Float32Array(3)
	const lumOf = (c: ArrayLike<number>, o = 0) =>
		0.2126 * c[o] + 0.7152 * c[o + 1] + 0.0722 * c[o + 2]
	for (let i = 0; i < width * height; i++) {
		const t = rank[i] ** take.gamma * (BINS - 1)
		const b0 = Math.floor(t)
		const b1 = Math.min(BINS - 1, b0 + 1)
		const f = t - b0
		for (let k = 0; k < 3; k++) tone[k] = curve[b0 * 3 + k] * (1 - f) + curve[b1 * 3 + k] * f
		const toneLum = lumOf(tone)
		const layoutLum = lumOf(layout, i * 3)
		for (let k = 0; k < 3; k++) {
			const spatial = layout[i * 3 + k] + toneLum - layoutLum
			const grain = lookF[i * 3 + k] - texture[i * 3 + k]
			colour[k] = tone[k] * (1 - take.spatial) + spatial * take.spatial + take.texture * grain
		}
		// Half the quantile map, half the parent's own tones rescaled to the look's range: the
		// quantile map alone flattens edges where the look has large even areas.
		const target = 0.5 * toneLum + 0.5 * (l.mean + ((lumParent[i] - p.mean) * l.std) / p.std)
		const shift = target - lumOf(colour)
		const plain = take.content * Math.max(0, 1 - structure[i] / 4)
		for (let k = 0; k < 3; k++)
			out[i * 3 + k] = (colour[k] + shift) * (1 - plain) + lookF[i * 3 + k] * plain
		if (i % (width * 32) === 0) await o.pause()
	}
	o.onProgress?.(1)
	return toBytes(out)
}
