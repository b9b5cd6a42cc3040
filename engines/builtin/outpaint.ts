import type { Placement } from '../../shared/ops/geometry'
import { decodeLatent } from './decode'
import { encodeLatent } from './latent'
import type { Style } from './palette'
import { boxBlur, luminanceOf, toBytes } from './pixels'
import { composeScene } from './scene'

export interface OutpaintOptions {
	/** The parent, RGB at `placement`'s size. */
	parent: Uint8Array
	/** Where the parent goes in the output (shared `parentPlacement`). */
	placement: Placement
	width: number
	height: number
	/** The prompt the surround is painted from (the parent's). */
	style: Style
	seed: number
	chaos: number
	stylize: number
	pause: () => Promise<void>
	onProgress?: (fraction: number) => void
}

/**
 * Where land meets sky in the parent, as a fraction of its height: the row where the smoothed
 * row brightness changes most, between 30% and 85% down; 0.6 when nothing stands out.
 */
export async function estimateHorizon(
	rgb: Uint8Array,
	width: number,
	height: number,
): Promise<number> {
	const lum = luminanceOf(rgb)
	const rows = new Float32Array(height)
	for (let y = 0; y < height; y++) {
		let sum = 0
		for (let x = 0; x < width; x++) sum += lum[y * width + x]
		rows[y] = sum / width
	}
	const smooth = await boxBlur(rows, {
		width: 1,
		height,
		channels: 1,
		radius: Math.max(1, Math.round(height / 60)),
	})
	const d = Math.max(2, Math.round(height / 30))
	let best = 0.6
	let bestStep = 3
	for (let y = Math.round(height * 0.3); y < Math.round(height * 0.85); y++) {
		const step = Math.abs(smooth[Math.min(height - 1, y + d)] - smooth[Math.max(0, y - d)])
		if (step > bestStep) {
			bestStep = step
			best = y / height
		}
	}
	return best
}

/**
 * The parent carried outwards to the whole output: every outside pixel reads the parent at the
 * nearest position (`clamp`: flat colour, streaks any detail), or mirrored across its left and
 * right edges (`mirror`: skylines and ridges continue sideways with their texture; up and down
 * it still clamps, so a moon near the top edge is not reflected into a second one).
 */
function extend(
	src: Float32Array,
	p: Placement,
	width: number,
	height: number,
	mode: 'clamp' | 'mirror',
): Float32Array {
	const index = (v: number, start: number, length: number, mirror: boolean) => {
		let t = v - start
		if (mirror) {
			if (t < 0) t = -t - 1
			else if (t >= length) t = 2 * length - t - 1
		}
		return Math.min(length - 1, Math.max(0, t))
	}
	const out = new Float32Array(width * height * 3)
	for (let y = 0; y < height; y++) {
		const sy = index(y, p.y, p.height, false)
		for (let x = 0; x < width; x++) {
			const s = (sy * p.width + index(x, p.x, p.width, mode === 'mirror')) * 3
			const o = (y * width + x) * 3
			out[o] = src[s]
			out[o + 1] = src[s + 1]
			out[o + 2] = src[s + 2]
		}
	}
	return out
}

/** Distance in pixels from each output pixel to the placement (0 inside it). */
function distances(p: Placement, width: number, height: number): Float32Array {
	const d = new Float32Array(width * height)
	for (let y = 0; y < height; y++) {
		const dy = Math.max(p.y - y, y - (p.y + p.height - 1), 0)
		for (let x = 0; x < width; x++) {
			const dx = Math.max(p.x - x, x - (p.x + p.width - 1), 0)
			d[y * width + x] = Math.hypot(dx, dy)
		}
	}
	return d
}

const smoothstep = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t))

/**
 * Zoom out and pan: the parent, untouched, at `placement`; around it a new painting of the prompt
 * whose horizon lines up with the parent's and whose base colours are the parent's edges carried
 * outwards. Near the parent the painting's broad colours are pulled to the parent's (so light and
 * tone continue), and a narrow band mirrors the parent's edge to hide the seam; further out the
 * painting is itself, so the surround is new content in the prompt's style. Same inputs → same
 * bytes.
 */
export async function outpaintPixels(o: OutpaintOptions): Promise<Uint8Array> {
	const { width, height, placement: p } = o
	const side = Math.min(width, height)
	const parent = Float32Array.from(o.parent)
	const horizon = await estimateHorizon(o.parent, p.width, p.height)
	const horizonOut = Math.min(0.9, Math.max(0.2, (p.y + horizon * p.height) / height))
	const source = { width: p.width, height: p.height, channels: 3, pause: o.pause }
	const broad = await boxBlur(parent, {
		...source,
		radius: Math.max(2, Math.round(Math.min(p.width, p.height) / 16)),
	})
	const far = extend(broad, p, width, height, 'clamp')
	// Light blur sideways; above and below, enough blur that stars don't streak into lines.
	const light = await boxBlur(parent, { ...source, radius: 1, passes: 1 })
	const soft = await boxBlur(parent, { ...source, radius: 4, passes: 2 })
	const sideways = extend(light, p, width, height, 'mirror')
	const vertical = extend(soft, p, width, height, 'clamp')
	await o.pause()
	const paint = async (w: number, h: number, horizonAt: number, base: Float32Array) => {
		const { style, seed, chaos, stylize } = o
		const scene = composeScene({
			style,
			seed,
			chaos,
			stylize,
			width: w,
			height: h,
			horizon: horizonAt,
		})
		return decodeLatent(
			{
				...scene,
				// The base colour field comes from the parent's surroundings, not the palette; and no
				// second sun or moon: the parent already has its light.
				field: encodeLatent(toBytes(base), w, h).field,
				layers: scene.layers.filter((layer) => layer.kind !== 'orb'),
			},
			{ pause: o.pause },
		)
	}
	const painted = await paint(width, height, horizonOut, far)
	o.onProgress?.(0.5)
	if (p.width < width && p.height < height) {
		// Zoom out: motifs scale with the frame, so beside the parent the full-frame painting's trees
		// and ridges would be f× too big. Paint the rows the parent spans again as a band whose
		// scale is the parent's, and blend it in, fading out towards the band's top and bottom.
		const rows = far.subarray(p.y * width * 3, (p.y + p.height) * width * 3)
		const band = await paint(width, p.height, horizon, rows)
		const fade = Math.max(1, 0.2 * p.height)
		for (let y = 0; y < p.height; y++) {
			const w = smoothstep(Math.min(y + 0.5, p.height - y - 0.5) / fade)
			const o3 = (p.y + y) * width * 3
			for (let i = 0; i < width * 3; i++)
				painted[o3 + i] = painted[o3 + i] * (1 - w) + band[y * width * 3 + i] * w + 0.5
		}
	}
	o.onProgress?.(0.85)
	const offset = new Float32Array(width * height * 3)
	for (let i = 0; i < offset.length; i++) offset[i] = far[i] - painted[i]
	const pull = await boxBlur(offset, {
		width,
		height,
		channels: 3,
		radius: Math.max(4, Math.round(side / 12)),
		pause: o.pause,
	})
	const distance = distances(p, width, height)
	// The hand-over band scales with the new margin: a thin ring (zoom 1.5×) blends quickly.
	const margins = [p.x, p.y, width - p.x - p.width, height - p.y - p.height].filter((m) => m > 0)
	const band = Math.max(6, 0.35 * Math.min(...margins, side))
	await o.pause()

	const out = new Float32Array(width * height * 3)
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = y * width + x
			const d = distance[i]
			if (d === 0) {
				const s = ((y - p.y) * p.width + (x - p.x)) * 3
				out.set(parent.subarray(s, s + 3), i * 3)
				continue
			}
			const keep = 1 - 0.25 * smoothstep(d / side)
			const own = smoothstep(d / band)
			for (let k = 0; k < 3; k++) {
				const c = painted[i * 3 + k] + pull[i * 3 + k] * keep
				const edge = x >= p.x && x < p.x + p.width ? vertical : sideways
				out[i * 3 + k] = edge[i * 3 + k] * (1 - own) + c * own
			}
		}
		if (y % 32 === 31) await o.pause()
	}
	o.onProgress?.(1)
	return toBytes(out)
}
