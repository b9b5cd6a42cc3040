import { createGridSampler, fbmGrid } from '../grid'
import { createRng } from '../prng'
import { overAt, smoothstep } from './blend'
import type { CloudsSpec, Layer, PaintTarget } from './types'

/**
 * Soft cloud banks: fractal noise thresholded into wisps and stretched sideways. Thin edges take
 * the lit colour and thick cores the shadow colour (a silver lining), and clouds low in the band,
 * nearest the light at the horizon, are lit more. The noise lives on a small grid and is B-spline
 * upsampled per row, so the per-pixel cost is a few multiply-adds.
 */
export function createCloudsLayer(spec: CloudsSpec, target: PaintTarget): Layer {
	const { width, height } = target
	const gw = 80
	const gh = Math.max(8, Math.round((80 * height) / width))
	const noise = fbmGrid({
		width: gw,
		height: gh,
		rng: createRng(spec.seed),
		cells: 2,
		// Lattice cells down per cell across, corrected for the image's aspect: < 1 stretches.
		aspect: (spec.stretch * height) / width,
		octaves: 5,
		gain: 0.52,
	})
	const sample = createGridSampler(noise, width, height)
	const buf = new Float32Array(width)
	const top = spec.top * height
	const bottom = spec.bottom * height
	const fade = Math.max(4, (bottom - top) * 0.35)
	const threshold = 0.35 - spec.cover * 0.8
	const [lr, lg, lb] = spec.lit
	const [sr, sg, sb] = spec.shadow
	return {
		paintRow(y, row) {
			if (y < top || y > bottom) return
			const band = smoothstep(top, top + fade, y) * (1 - smoothstep(bottom - fade, bottom, y))
			const low = smoothstep(top, bottom, y)
			sample(y, buf)
			for (let x = 0; x < width; x++) {
				const thick = buf[x] - threshold
				if (thick <= 0) continue
				const a = smoothstep(0, 0.35, thick) * band * spec.opacity
				if (a <= 0.002) continue
				const lit = 0.45 + (1 - smoothstep(0, 0.6, thick)) * 0.4 + low * 0.3
				const t = Math.min(lit, 1)
				overAt(row, x * 3, sr + (lr - sr) * t, sg + (lg - sg) * t, sb + (lb - sb) * t, a)
			}
		},
	}
}
