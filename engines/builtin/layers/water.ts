import { createRng } from '../prng'
import { clamp01, screenAt } from './blend'
import type { Layer, PaintTarget, WaterSpec } from './types'

const LUT_SIZE = 1024
const SIN = new Float32Array(LUT_SIZE)
for (let i = 0; i < LUT_SIZE; i++) SIN[i] = Math.sin((i / LUT_SIZE) * Math.PI * 2)
/** Sine of a phase given in turns (1 = full circle), via a table: 5 of these per water pixel. */
function sinTurns(turns: number): number {
	return SIN[((turns * LUT_SIZE) | 0) & (LUT_SIZE - 1)]
}

const WAVES = 5

/**
 * Open water from the horizon down. A few sine swells are laid on a ground plane in perspective
 * (screen row → depth), so waves shrink towards the horizon; swells finer than ~3 px are faded out
 * rather than aliased. The surface mirrors whatever was painted above (sky, sun, mountains, city
 * lights), displaced by the waves, darkens with depth, and glitters under the light. Reads rows
 * above the horizon, which top-to-bottom painting has already finished.
 */
export function createWaterLayer(spec: WaterSpec, target: PaintTarget): Layer {
	const { width, height, image } = target
	const rng = createRng(spec.seed)
	const horizon = Math.round(spec.horizon * height)
	const span = Math.max(1, height - horizon)
	const unit = Math.min(width, height)
	// Wave vectors in cycles per world unit; long along x so swells read as horizontal bands.
	const kx = new Float32Array(WAVES)
	const kz = new Float32Array(WAVES)
	const amp = new Float32Array(WAVES)
	const phase = new Float32Array(WAVES)
	for (let k = 0; k < WAVES; k++) {
		const f = 3 * 1.7 ** k * rng.range(0.8, 1.25)
		const angle = rng.range(-0.5, 0.5)
		kx[k] = f * Math.sin(angle) * 0.6
		kz[k] = f * Math.cos(angle)
		amp[k] = 0.8 ** k
		phase[k] = rng.next()
	}
	const ax = new Float32Array(WAVES)
	const bx = new Float32Array(WAVES)
	const aa = new Float32Array(WAVES)
	const [sr, sg, sb] = spec.surface
	const [dr, dg, db] = spec.deep
	const [gr, gg, gb] = spec.glintColor
	const cx = width / 2
	return {
		paintRow(y, row) {
			if (y < horizon) return
			const t = (y + 0.5 - horizon) / span
			const depth = 1 / (t + 0.015)
			// Per-row wave terms: phase = bx + x * ax (turns); fade waves whose step aliases.
			let norm = 0
			for (let k = 0; k < WAVES; k++) {
				ax[k] = (kx[k] * depth * 0.6) / unit
				bx[k] = kz[k] * depth * 0.25 + phase[k] - cx * ax[k]
				const dz = (kz[k] * 0.25) / ((t + 0.015) * (t + 0.015) * span)
				const step = Math.max(Math.abs(ax[k]), dz)
				aa[k] = step < 0.15 ? amp[k] : step < 0.35 ? (amp[k] * (0.35 - step)) / 0.2 : 0
				norm += amp[k]
			}
			const reach = spec.ripple * unit * (0.003 + 0.035 * t)
			const src = horizon - 1 - Math.round((y - horizon) * 0.94)
			const fresnel = spec.reflectivity * (1 - 0.45 * Math.sqrt(t))
			const wr = sr + (dr - sr) * t
			const wg = sg + (dg - sg) * t
			const wb = sb + (db - sb) * t
			const pathWidth = width * (0.02 + 0.1 * t)
			const glintX = spec.glintX === null ? -1e9 : spec.glintX * width
			for (let x = 0; x < width; x++) {
				let w = 0
				for (let k = 0; k < WAVES; k++) w += aa[k] * sinTurns(bx[k] + x * ax[k])
				w /= norm
				let sx = Math.round(x + w * reach)
				sx = sx < 0 ? 0 : sx >= width ? width - 1 : sx
				let sy = src + Math.round(w * reach * 0.6)
				sy = sy < 0 ? 0 : sy >= horizon ? horizon - 1 : sy
				const si = (sy * width + sx) * 3
				const shade = 0.9 + (0.15 + 0.25 * t) * w
				const i = x * 3
				row[i] = wr + (image[si] * shade - wr) * fresnel
				row[i + 1] = wg + (image[si + 1] * shade - wg) * fresnel
				row[i + 2] = wb + (image[si + 2] * shade - wb) * fresnel
				const gd = (x - glintX) / pathWidth
				if (gd > -2.5 && gd < 2.5 && w > 0.1) {
					const a = spec.glint * Math.exp(-gd * gd) * (w - 0.1) * 2.2
					if (a > 0.003) screenAt(row, i, gr, gg, gb, clamp01(a))
				}
			}
		},
	}
}
