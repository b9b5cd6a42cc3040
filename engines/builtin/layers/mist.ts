import { createGridSampler, fbmGrid } from '../grid'
import { createRng } from '../prng'
import type { Layer, MistSpec, PaintTarget } from './types'

/** A drifting horizontal fog bank: a gaussian band whose density is broken up by stretched noise. */
export function createMistLayer(spec: MistSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const gw = 64
	const gh = 32
	const noise = fbmGrid({
		width: gw,
		height: gh,
		rng: createRng(spec.seed),
		cells: 2,
		aspect: (4 * height) / width,
		octaves: 4,
		gain: 0.55,
	})
	const sample = createGridSampler(noise, width, height)
	const buf = new Float32Array(width)
	const centre = spec.y * height
	const sigma = Math.max(2, spec.thickness * height)
	const [mr, mg, mb] = spec.color
	return {
		paintRow(y, row) {
			const u = (y + 0.5 - centre) / sigma
			if (u < -3 || u > 3) return
			const band = spec.amount * Math.exp(-u * u)
			sample(y, buf)
			for (let x = 0; x < width; x++) {
				const n = buf[x]
				const a = band * (n > -0.8 ? (n < 0.8 ? 0.6 + 0.5 * n : 1) : 0.2)
				const i = x * 3
				row[i] += (mr - row[i]) * a
				row[i + 1] += (mg - row[i + 1]) * a
				row[i + 2] += (mb - row[i + 2]) * a
			}
		},
	}
}
