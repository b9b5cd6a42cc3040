import { createRng } from '../prng'
import { screenAt } from './blend'
import type { Layer, PaintTarget, ParticlesSpec } from './types'

/**
 * Stars, embers, snowflakes: small gaussian splats into a light map drawn once, then screened on
 * row by row. Bright ones get a faint cross flare. Dark-only particles fade on bright pixels, so
 * stars never show over a sunlit sky.
 */
export function createParticlesLayer(spec: ParticlesSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const light = new Float32Array(width * height)
	const rng = createRng(spec.seed)
	const scale = Math.sqrt((width * height) / (512 * 512))
	const count = Math.round(spec.density * scale * scale)
	const y0 = spec.top * height
	const y1 = spec.bottom * height
	for (let n = 0; n < count; n++) {
		const px = rng.next() * width
		// More particles towards the top of the band, like a sky thinning into haze.
		const py = y0 + (y1 - y0) * rng.next() ** 1.4
		const bright = rng.next() ** 3 * 0.9 + 0.1
		const sigma = spec.size * scale * (0.5 + bright)
		const reach = Math.ceil(sigma * 3)
		const inv = 1 / (2 * sigma * sigma)
		for (let y = Math.max(0, Math.floor(py - reach)); y <= Math.min(height - 1, py + reach); y++) {
			const dy = y + 0.5 - py
			for (let x = Math.max(0, Math.floor(px - reach)); x <= Math.min(width - 1, px + reach); x++) {
				const dx = x + 0.5 - px
				light[y * width + x] += bright * Math.exp(-(dx * dx + dy * dy) * inv)
			}
		}
		if (bright > 0.75 && rng.chance(spec.flare)) {
			const arm = Math.round(sigma * 9)
			for (let k = -arm; k <= arm; k++) {
				const f = bright * 0.35 * (1 - Math.abs(k) / arm) ** 2
				const xi = Math.floor(px) + k
				const yi = Math.floor(py) + k
				if (xi >= 0 && xi < width) light[Math.floor(py) * width + xi] += f
				if (yi >= 0 && yi < height) light[yi * width + Math.floor(px)] += f
			}
		}
	}
	const [r, g, b] = spec.color
	return {
		paintRow(y, row) {
			if (y < y0 - 8 || y > y1 + 8) return
			const o = y * width
			for (let x = 0; x < width; x++) {
				let a = light[o + x]
				if (a < 0.004) continue
				const i = x * 3
				if (spec.darkOnly) {
					const lum = 0.2126 * row[i] + 0.7152 * row[i + 1] + 0.0722 * row[i + 2]
					const dark = 1 - lum * 1.6
					a *= dark > 0 ? dark * dark : 0
				}
				screenAt(row, i, r, g, b, Math.min(a, 1))
			}
		},
	}
}
