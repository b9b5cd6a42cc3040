import { fbmProfile } from '../grid'
import { createRng } from '../prng'
import { clamp01, overAt } from './blend'
import type { Layer, PaintTarget, TreelineSpec } from './types'

/**
 * A band of conifers on rolling ground. Each tree is a stack of tiers; the silhouette is the
 * lowest tier edge per column, which gives the serrated pine outline. Columns remember which side
 * of their tree they are on, so trees are lit on one flank.
 */
export function createTreelineLayer(spec: TreelineSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const rng = createRng(spec.seed)
	const ground = fbmProfile({ length: width, rng, cells: 3, octaves: 3, gain: 0.5 })
	const top = new Float32Array(width)
	const flank = new Float32Array(width)
	const treeH = spec.height * height
	for (let x = 0; x < width; x++) top[x] = spec.base * height - ground[x] * treeH * 0.35
	const spacing = width / spec.count
	const jag = new Float32Array(9)
	for (
		let cx = -spacing * rng.next();
		cx < width + spacing;
		cx += spacing * rng.range(0.35, 1.15)
	) {
		const h = treeH * rng.range(0.55, 1.25)
		const halfW = h * rng.range(0.17, 0.23)
		const tiers = rng.int(6, 9)
		for (let k = 0; k < tiers; k++) jag[k] = rng.range(0.85, 1.15)
		const gx = Math.min(width - 1, Math.max(0, Math.round(cx)))
		const tip = top[gx] - h
		for (let x = Math.max(0, Math.floor(cx - halfW)); x <= Math.min(width - 1, cx + halfW); x++) {
			const dx = Math.abs(x + 0.5 - cx)
			let edge = Number.POSITIVE_INFINITY
			for (let k = 0; k < tiers; k++) {
				// Tier k starts k/tiers of the way down and slopes out to its branch tips, which poke
				// past the tier below: the serrated pine outline.
				const tierTop = tip + (k / tiers) * h * 0.88
				const tierHalfW = halfW * (0.2 + (0.8 * (k + 1)) / tiers) * jag[k]
				if (dx > tierHalfW) continue
				edge = Math.min(edge, tierTop + (dx / tierHalfW) * h * (2.3 / tiers))
			}
			if (edge < top[x]) {
				top[x] = edge
				flank[x] = (x + 0.5 - cx) / halfW
			}
		}
	}
	const coverage = new Float32Array(width)
	let highest = height
	for (let x = 0; x < width; x++) {
		const slope = (top[Math.min(width - 1, x + 1)] - top[Math.max(0, x - 1)]) / 2
		coverage[x] = 1 / Math.sqrt(1 + slope * slope)
		highest = Math.min(highest, top[x])
	}
	const depthSpan = Math.max(8, treeH * 1.5)
	// Depth runs from a level line near the tree tops, not from each column's own top, so tall
	// trees don't drag darker stripes down the image.
	const depthFrom = spec.base * height - treeH * 0.8
	const [cr, cg, cb] = spec.color
	const [sr, sg, sb] = spec.shade
	const [hr, hg, hb] = spec.haze
	return {
		paintRow(y, row) {
			if (y < highest - 1) return
			const py = y + 0.5
			for (let x = 0; x < width; x++) {
				const below = py - top[x]
				if (below < -1) continue
				const a = clamp01(below * coverage[x] + 0.5)
				const depth = clamp01((py - depthFrom) / depthSpan)
				const light = 1 + 0.22 * flank[x] * spec.light * clamp01(1 - below / (treeH * 0.6))
				const r = (cr + (sr - cr) * depth) * light
				const g = (cg + (sg - cg) * depth) * light
				const b = (cb + (sb - cb) * depth) * light
				const haze = spec.hazeAmount * (1 - 0.5 * depth) + 0.25 * depth * spec.hazeAmount
				overAt(row, x * 3, r + (hr - r) * haze, g + (hg - g) * haze, b + (hb - b) * haze, a)
			}
		},
	}
}
