import { clamp01, overAt, screenAt } from './blend'
import type { Layer, OrbSpec, PaintTarget } from './types'

/** A sun or moon: an anti-aliased disc with a limb gradient and a soft halo over everything. */
export function createOrbLayer(spec: OrbSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const unit = Math.min(width, height)
	const cx = spec.x * width
	const cy = spec.y * height
	const r = spec.radius * unit
	const reach2 = (r * spec.spread) ** 2
	const [cr, cg, cb] = spec.core
	const [rr, rg, rb] = spec.rim
	const [gr, gg, gb] = spec.glow
	const bandStep = spec.bands > 0 ? r / (spec.bands + 1) : 0
	return {
		paintRow(y, row) {
			const dy = y + 0.5 - cy
			const dy2 = dy * dy
			const inDisc = spec.disc > 0 && Math.abs(dy) < r + 2
			// A band cut-out: gaps widen towards the bottom of the disc, like the synthwave sun.
			let bandCover = 1
			if (inDisc && bandStep > 0 && dy > 0) {
				const k = dy / bandStep
				const gap = (k - Math.floor(k)) * bandStep
				const gapWidth = (dy / r) * bandStep * 0.55
				bandCover = clamp01(gap - gapWidth + 0.5)
			}
			for (let x = 0; x < width; x++) {
				const dx = x + 0.5 - cx
				const d2 = dx * dx + dy2
				const i = x * 3
				const halo = spec.halo / (1 + d2 / reach2)
				screenAt(row, i, gr, gg, gb, halo)
				if (inDisc && d2 < (r + 2) * (r + 2)) {
					const d = Math.sqrt(d2)
					const a = clamp01(r - d + 0.5) * bandCover * spec.disc
					if (a > 0) {
						const t = (d / r) ** 2
						overAt(row, i, cr + (rr - cr) * t, cg + (rg - cg) * t, cb + (rb - cb) * t, a)
					}
				}
			}
		},
	}
}
