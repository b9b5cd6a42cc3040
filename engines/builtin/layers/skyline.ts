import { createRng, hashQuad } from '../prng'
import { overAt } from './blend'
import type { Layer, PaintTarget, SkylineSpec } from './types'

/**
 * City blocks: buildings of random width and height (taller towards the middle), some with
 * set-backs or a mast, and grids of windows of which a fraction are lit.
 */
export function createSkylineLayer(spec: SkylineSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const rng = createRng(spec.seed)
	const baseY = Math.round(spec.base * height)
	// Gaps between buildings show street level, not the sky.
	const top = new Int32Array(width).fill(baseY)
	const building = new Int32Array(width).fill(-1)
	const left = new Int32Array(width)
	const unit = Math.min(width, height)
	const cellW: number[] = []
	const tone: number[] = []
	const cellH: number[] = []
	let id = 0
	for (let x0 = -rng.int(0, 20); x0 < width; id++) {
		const w = Math.round(unit * rng.range(0.035, 0.1))
		const centre = 1 - Math.abs((x0 + w / 2) / width - 0.5) * 1.2
		const h = Math.round(spec.height * height * rng.range(0.3, 1) * (0.55 + 0.45 * centre))
		const setback = rng.chance(0.3) ? Math.round(w * rng.range(0.15, 0.3)) : 0
		const mast = rng.chance(0.15) ? Math.round(h * rng.range(0.1, 0.25)) : 0
		tone.push(rng.range(-0.15, 0.2))
		cellW.push(Math.max(4, Math.round(unit * rng.range(0.011, 0.016))))
		cellH.push(Math.max(5, Math.round(unit * rng.range(0.015, 0.021))))
		for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
			const inSetback = x - x0 < setback || x0 + w - x <= setback
			let t = baseY - h + (inSetback ? Math.round(h * 0.12) : 0)
			if (mast && Math.abs(x - (x0 + w / 2)) < Math.max(1, unit * 0.003)) t -= mast
			top[x] = t
			building[x] = id
			left[x] = x - x0
		}
		x0 += w + (rng.chance(0.25) ? rng.int(2, 10) : 0)
	}
	let highest = height
	for (let x = 0; x < width; x++) highest = Math.min(highest, top[x])
	const [cr, cg, cb] = spec.color
	const [sr, sg, sb] = spec.shade
	const [hr, hg, hb] = spec.haze
	const span = Math.max(8, spec.height * height)
	const ha = spec.hazeAmount
	return {
		paintRow(y, row) {
			if (y < highest || y >= baseY) return
			for (let x = 0; x < width; x++) {
				const t = top[x]
				if (y < t) continue
				const id = building[x]
				const depth = Math.min(1, (y - t) / span) * 0.8 + (id >= 0 ? tone[id] : 0)
				let r = cr + (sr - cr) * depth
				let g = cg + (sg - cg) * depth
				let b = cb + (sb - cb) * depth
				if (id >= 0) {
					const cw = cellW[id]
					const ch = cellH[id]
					const wx = (left[x] - 2) % cw
					const wy = (y - t - 3) % ch
					if (wx >= 0 && wy >= 0 && wx < cw * 0.55 && wy < ch * 0.55 && left[x] >= 2) {
						const h = hashQuad(
							spec.seed,
							id,
							Math.floor((left[x] - 2) / cw),
							Math.floor((y - t - 3) / ch),
						)
						if ((h & 1023) / 1024 < spec.lit) {
							// Mostly the building's own window colour; a few odd ones.
							const pick = h >>> 24 < 40 ? h >>> 10 : id * 7
							const w = spec.windows[pick % spec.windows.length]
							const k = 0.65 + ((h >>> 14) & 255) / 730
							r = w[0] * k
							g = w[1] * k
							b = w[2] * k
						}
					}
				}
				overAt(row, x * 3, r + (hr - r) * ha, g + (hg - g) * ha, b + (hb - b) * ha, 1)
			}
		},
	}
}
