import { fbmProfile } from '../grid'
import { createRng } from '../prng'
import { screenAt } from './blend'
import type { AuroraSpec, Layer, PaintTarget } from './types'

/**
 * Aurora curtains: a wavering baseline per column with a sharp lower edge and a long glow upwards,
 * broken into vertical rays by a high-frequency brightness profile.
 */
export function createAuroraLayer(spec: AuroraSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const rng = createRng(spec.seed)
	const sway = fbmProfile({ length: width, rng, cells: 2, octaves: 3, gain: 0.5 })
	const rays = fbmProfile({ length: width, rng, cells: 24, octaves: 3, gain: 0.6 })
	const body = fbmProfile({ length: width, rng, cells: 3, octaves: 2, gain: 0.5 })
	const curtain = spec.height * height
	const baseY = new Float32Array(width)
	const bright = new Float32Array(width)
	let minBase = height
	let maxBase = 0
	for (let x = 0; x < width; x++) {
		baseY[x] = spec.y * height + sway[x] * curtain * 0.9
		const ray = 0.55 + 0.45 * rays[x]
		const mass = Math.max(0, 0.35 + body[x])
		bright[x] = spec.intensity * (0.3 + 0.7 * ray * ray) * Math.min(1, mass * 2)
		minBase = Math.min(minBase, baseY[x])
		maxBase = Math.max(maxBase, baseY[x])
	}
	const yTop = minBase - curtain * 3
	const yBottom = maxBase + curtain * 0.3
	const [lr, lg, lb] = spec.low
	const [hr, hg, hb] = spec.high
	return {
		paintRow(y, row) {
			if (y < yTop || y > yBottom) return
			for (let x = 0; x < width; x++) {
				const b = bright[x]
				if (b <= 0.01) continue
				// t: curtain heights above this column's lower edge.
				const t = (baseY[x] - y) / curtain
				const fall = t < 0 ? Math.exp(t * 14) : Math.exp(-t * 1.1)
				const a = b * fall
				if (a < 0.004) continue
				const u = t < 0 ? 0 : t > 1.5 ? 1 : t / 1.5
				screenAt(row, x * 3, lr + (hr - lr) * u, lg + (hg - lg) * u, lb + (hb - lb) * u, a)
			}
		},
	}
}
