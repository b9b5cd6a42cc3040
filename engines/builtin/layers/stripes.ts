import { smoothstep } from './blend'
import type { Layer, PaintTarget, StripesSpec } from './types'

/** Soft parallel bands cycling through a few colours, laid over the scene like a print. */
export function createStripesLayer(spec: StripesSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const period = Math.max(4, spec.period * Math.min(width, height))
	const ux = Math.cos(spec.angle) / period
	const uy = Math.sin(spec.angle) / period
	const n = spec.colors.length
	const flat = spec.colors.flatMap((c) => [c[0], c[1], c[2]])
	return {
		paintRow(y, row) {
			const base = (y + 0.5) * uy + spec.phase
			for (let x = 0; x < width; x++) {
				const v = base + (x + 0.5) * ux
				const k = Math.floor(v)
				const f = v - k
				const a = ((k % n) + n) % n
				const b = (a + 1) % n
				const t = smoothstep(0.75, 1, f)
				const o = spec.opacity
				const i = x * 3
				row[i] += (flat[a * 3] + (flat[b * 3] - flat[a * 3]) * t - row[i]) * o
				row[i + 1] += (flat[a * 3 + 1] + (flat[b * 3 + 1] - flat[a * 3 + 1]) * t - row[i + 1]) * o
				row[i + 2] += (flat[a * 3 + 2] + (flat[b * 3 + 2] - flat[a * 3 + 2]) * t - row[i + 2]) * o
			}
		},
	}
}
