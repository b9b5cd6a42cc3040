import { createGrid, createGridSampler, fbmGrid, fbmProfile, type RowSampler } from '../grid'
import { createRng, type Rng } from '../prng'
import { clamp01, overAt, smoothstep } from './blend'
import type { Layer, PaintTarget, RidgeSpec } from './types'

/** Box-blurred copy of a profile (radius in samples), edges clamped. */
function blur(values: Float32Array, radius: number): Float32Array {
	const n = values.length
	const out = new Float32Array(n)
	for (let x = 0; x < n; x++) {
		let sum = 0
		for (let k = -radius; k <= radius; k++) sum += values[Math.min(n - 1, Math.max(0, x + k))]
		out[x] = sum / (2 * radius + 1)
	}
	return out
}

/**
 * Side-lit relief for rock faces: the horizontal slope of 2D fractal noise stretched downhill, so
 * shading runs in gullies and ribs rather than in per-column streaks. Values roughly -1…1.
 */
function rockTexture(width: number, height: number, rng: Rng, light: number): RowSampler {
	const gw = 128
	const gh = Math.max(8, Math.round((128 * height) / width))
	const noise = fbmGrid({
		width: gw,
		height: gh,
		rng,
		cells: 4,
		aspect: 0.5,
		octaves: 4,
		gain: 0.55,
	})
	const grid = createGrid(gw, gh, 1)
	for (let j = 0; j < gh; j++) {
		for (let i = 0; i < gw; i++) {
			const right = noise.data[j * gw + Math.min(gw - 1, i + 1)]
			const left = noise.data[j * gw + Math.max(0, i - 1)]
			grid.data[j * gw + i] = Math.max(-1, Math.min(1, (left - right) * light * 4))
		}
	}
	return createGridSampler(grid, width, height)
}

/**
 * A mountain or hill range: a fractal crest line per column, filled down to the bottom. Broad
 * faces are lit or shaded by the smoothed crest's slope, fading below the crest; mountains add
 * rock relief, which also breaks up the snow line. The range darkens and gathers haze
 * towards its foot (atmospheric perspective) and carries snow on the highest crests.
 */
export function createRidgeLayer(spec: RidgeSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const rng = createRng(spec.seed)
	const smooth = fbmProfile({ length: width, rng, cells: spec.cells, octaves: 3, gain: 0.45 })
	const crags = fbmProfile({
		length: width,
		rng,
		cells: spec.cells * 2,
		octaves: 6,
		gain: 0.5,
		ridged: true,
	})
	const snowNoise = fbmProfile({ length: width, rng, cells: spec.cells * 4, octaves: 3, gain: 0.5 })
	const top = new Float32Array(width)
	const amp = spec.amplitude * height
	let highest = height
	for (let x = 0; x < width; x++) {
		const p = smooth[x] * (1 - spec.roughness) + crags[x] * spec.roughness * 0.8
		top[x] = spec.base * height - p * amp
		highest = Math.min(highest, top[x])
	}
	const radius = Math.max(2, Math.round(width * 0.035))
	const broad = blur(top, radius)
	const coverage = new Float32Array(width)
	const facet = new Float32Array(width)
	const snowDepth = new Float32Array(width)
	const snowline = highest + amp * 0.55 * spec.snow
	for (let x = 0; x < width; x++) {
		const slope = (top[Math.min(width - 1, x + 1)] - top[Math.max(0, x - 1)]) / 2
		const broadSlope =
			(broad[Math.min(width - 1, x + radius)] - broad[Math.max(0, x - radius)]) / (2 * radius)
		// Distance to the crest across its slope, so steep edges anti-alias like flat ones.
		coverage[x] = 1 / Math.sqrt(1 + slope * slope)
		facet[x] = Math.max(-1, Math.min(1, -broadSlope * spec.light * 2.2))
		snowDepth[x] =
			spec.snow > 0 ? Math.max(0, snowline - broad[x]) * (0.8 + 0.35 * snowNoise[x]) : 0
	}
	const depthFrom = spec.base * height - amp * 0.5
	const depthSpan = Math.max(8, height - depthFrom)
	const faceSpan = Math.max(4, amp * 0.7)
	const rock = spec.roughness > 0.3 ? rockTexture(width, height, rng, spec.light) : null
	const rockRow = new Float32Array(width)
	const [cr, cg, cb] = spec.color
	const [sr, sg, sb] = spec.shade
	const [hr, hg, hb] = spec.haze
	const [wr, wg, wb] = spec.snowColor
	return {
		paintRow(y, row) {
			if (y < highest - 1) return
			const py = y + 0.5
			const depth = clamp01((py - depthFrom) / depthSpan)
			const haze = spec.hazeAmount + (1 - spec.hazeAmount) * 0.35 * depth
			if (rock) rock(y, rockRow)
			for (let x = 0; x < width; x++) {
				const below = py - top[x]
				if (below < -1) continue
				const a = clamp01(below * coverage[x] + 0.5)
				const face = Math.exp(-below / faceSpan)
				const grain = rock ? rockRow[x] * face : 0
				const light = 1 + 0.3 * facet[x] * face + 0.5 * grain
				let r = (cr + (sr - cr) * depth) * light
				let g = (cg + (sg - cg) * depth) * light
				let b = (cb + (sb - cb) * depth) * light
				if (snowDepth[x] > 0) {
					const reach = snowDepth[x] * (1 + 1.5 * grain)
					const snow = 1 - smoothstep(reach * 0.6, reach, below)
					if (snow > 0) {
						const k = snow * (0.8 + 0.2 * facet[x])
						r += (wr * light - r) * k
						g += (wg * light - g) * k
						b += (wb * light - b) * k
					}
				}
				overAt(row, x * 3, r + (hr - r) * haze, g + (hg - g) * haze, b + (hb - b) * haze, a)
			}
		},
	}
}
