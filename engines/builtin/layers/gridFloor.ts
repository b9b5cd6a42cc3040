import { clamp01, screenAt, smoothstep } from './blend'
import type { GridFloorSpec, Layer, PaintTarget } from './types'

/**
 * The synthwave floor: a dark plane below the horizon with glowing lines receding to a vanishing
 * point. Line widths are measured in screen pixels (from the depth derivative), so lines stay
 * about one pixel wide at every distance, and they fade out before they would alias at the horizon.
 */
export function createGridFloorLayer(spec: GridFloorSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const horizon = spec.horizon * height
	const vx = spec.vanishX * width
	// At the bottom edge (depth 1) there are `lines` columns across the width.
	const bottomDepth = height - horizon
	const across = spec.lines / width
	const [gr, gg, gb] = spec.ground
	const [lr, lg, lb] = spec.line
	return {
		paintRow(y, row) {
			const py = y + 0.5
			if (py < horizon) return
			const d = (py - horizon) / bottomDepth
			// Rows of the grid: evenly spaced in world depth z = 1/d.
			const z = (1 / d) * 3
			const dzdy = 3 / (d * d * bottomDepth)
			const zf = z - Math.floor(z)
			const rowDist = Math.min(zf, 1 - zf) / dzdy
			const rowLine = clamp01(1.2 - rowDist) + 0.25 * Math.exp(-rowDist * 0.5)
			const fade = smoothstep(0, 0.12, d)
			const glowBand = Math.exp(-d * 6)
			const gR = gr + (lr - gr) * 0.35 * glowBand
			const gG = gg + (lg - gg) * 0.35 * glowBand
			const gB = gb + (lb - gb) * 0.35 * glowBand
			const colScale = across / d
			for (let x = 0; x < width; x++) {
				const i = x * 3
				row[i] = gR
				row[i + 1] = gG
				row[i + 2] = gB
				const u = (x + 0.5 - vx) * colScale
				const uf = u - Math.floor(u)
				const colDist = Math.min(uf, 1 - uf) / colScale
				const colLine = clamp01(1.2 - colDist) + 0.25 * Math.exp(-colDist * 0.5)
				const a = Math.max(rowLine, colLine) * fade
				if (a > 0.003) screenAt(row, i, lr, lg, lb, clamp01(a))
			}
		},
	}
}
