import type { Rng } from './prng'

/** A low-resolution grid of feature vectors, row-major, `channels` floats per cell. */
export interface Grid {
	width: number
	height: number
	channels: number
	data: Float32Array
}

export function createGrid(width: number, height: number, channels: number): Grid {
	return { width, height, channels, data: new Float32Array(width * height * channels) }
}

/** Taps (clamped cell indices) and cubic B-spline weights for each output pixel along one axis. */
function axisTaps(cells: number, pixels: number): { index: Int32Array; weight: Float32Array } {
	const index = new Int32Array(pixels * 4)
	const weight = new Float32Array(pixels * 4)
	for (let p = 0; p < pixels; p++) {
		// Cell centres land on the matching pixel centres.
		const u = ((p + 0.5) / pixels) * cells - 0.5
		const i = Math.floor(u)
		const t = u - i
		const t2 = t * t
		const t3 = t2 * t
		const w = [
			(1 - t) ** 3 / 6,
			(3 * t3 - 6 * t2 + 4) / 6,
			(-3 * t3 + 3 * t2 + 3 * t + 1) / 6,
			t3 / 6,
		]
		for (let k = 0; k < 4; k++) {
			index[p * 4 + k] = Math.min(cells - 1, Math.max(0, i - 1 + k))
			weight[p * 4 + k] = w[k]
		}
	}
	return { index, weight }
}

/** Writes one upsampled row (`outWidth * channels` floats) into `out`. */
export type RowSampler = (y: number, out: Float32Array) => void

/**
 * Separable cubic B-spline upsampling of a grid to outWidth × outHeight. B-splines are C²-smooth,
 * so colour fields show no creases or Mach bands (bilinear on a 16² grid shows diamonds). The
 * horizontal pass is done once up front; each row then costs 4 taps per value.
 */
export function createGridSampler(grid: Grid, outWidth: number, outHeight: number): RowSampler {
	const { width: gw, height: gh, channels: ch, data } = grid
	const xs = axisTaps(gw, outWidth)
	const ys = axisTaps(gh, outHeight)
	const rowLen = outWidth * ch
	const rows = new Float32Array(gh * rowLen)
	for (let j = 0; j < gh; j++) {
		const src = j * gw * ch
		const dst = j * rowLen
		for (let x = 0; x < outWidth; x++) {
			const x4 = x * 4
			const a = src + xs.index[x4] * ch
			const b = src + xs.index[x4 + 1] * ch
			const c = src + xs.index[x4 + 2] * ch
			const d = src + xs.index[x4 + 3] * ch
			const wa = xs.weight[x4]
			const wb = xs.weight[x4 + 1]
			const wc = xs.weight[x4 + 2]
			const wd = xs.weight[x4 + 3]
			for (let k = 0; k < ch; k++) {
				rows[dst + x * ch + k] =
					wa * data[a + k] + wb * data[b + k] + wc * data[c + k] + wd * data[d + k]
			}
		}
	}
	return (y, out) => {
		const y4 = y * 4
		const a = ys.index[y4] * rowLen
		const b = ys.index[y4 + 1] * rowLen
		const c = ys.index[y4 + 2] * rowLen
		const d = ys.index[y4 + 3] * rowLen
		const wa = ys.weight[y4]
		const wb = ys.weight[y4 + 1]
		const wc = ys.weight[y4 + 2]
		const wd = ys.weight[y4 + 3]
		for (let i = 0; i < rowLen; i++) {
			out[i] = wa * rows[a + i] + wb * rows[b + i] + wc * rows[c + i] + wd * rows[d + i]
		}
	}
}

/** Value noise lattice lookup with smoothstep interpolation; lattice is (nx+1)×(ny+1) values. */
function latticeValue(lattice: Float32Array, nx: number, ny: number, u: number, v: number): number {
	const i = Math.min(nx - 1, Math.floor(u))
	const j = Math.min(ny - 1, Math.floor(v))
	let fu = u - i
	let fv = v - j
	fu = fu * fu * (3 - 2 * fu)
	fv = fv * fv * (3 - 2 * fv)
	const s = nx + 1
	const a = lattice[j * s + i]
	const b = lattice[j * s + i + 1]
	const c = lattice[(j + 1) * s + i]
	const d = lattice[(j + 1) * s + i + 1]
	return a + (b - a) * fu + (c - a) * fv + (a - b - c + d) * fu * fv
}

export interface FbmOptions {
	width: number
	height: number
	rng: Rng
	/** Lattice cells across the first octave. */
	cells: number
	/** Lattice cells down per cell across (default 1); above 1 stretches features sideways. */
	aspect?: number
	octaves: number
	/** Amplitude kept per octave (0.5 = classic pink-ish fBm). */
	gain: number
}

/** Fractal value noise sampled on a width × height grid, values roughly in [-1, 1]. */
export function fbmGrid(options: FbmOptions): Grid {
	const { width, height, rng, cells, octaves, gain } = options
	const aspect = options.aspect ?? 1
	const grid = createGrid(width, height, 1)
	let amp = 1
	let norm = 0
	for (let o = 0; o < octaves; o++) {
		const nx = cells << o
		const ny = Math.max(1, Math.round(nx * aspect))
		const lattice = new Float32Array((nx + 1) * (ny + 1))
		for (let i = 0; i < lattice.length; i++) lattice[i] = rng.next() * 2 - 1
		for (let y = 0; y < height; y++) {
			const v = (y / height) * ny
			for (let x = 0; x < width; x++) {
				grid.data[y * width + x] += amp * latticeValue(lattice, nx, ny, (x / width) * nx, v)
			}
		}
		norm += amp
		amp *= gain
	}
	for (let i = 0; i < grid.data.length; i++) grid.data[i] /= norm * 0.6
	return grid
}

/** 1D fractal noise along `length` samples, roughly in [-1, 1]; `ridged` folds it into peaks. */
export function fbmProfile(options: {
	length: number
	rng: Rng
	cells: number
	octaves: number
	gain: number
	ridged?: boolean
}): Float32Array {
	const { length, rng, cells, octaves, gain, ridged } = options
	const out = new Float32Array(length)
	let amp = 1
	let norm = 0
	for (let o = 0; o < octaves; o++) {
		const n = cells << o
		const knots = new Float32Array(n + 3)
		for (let i = 0; i < knots.length; i++) knots[i] = rng.next() * 2 - 1
		for (let x = 0; x < length; x++) {
			const u = (x / length) * n
			const i = Math.floor(u)
			const t = u - i
			// Catmull-Rom through the knots: smooth slopes for hills, sharp enough for crags.
			const p0 = knots[i]
			const p1 = knots[i + 1]
			const p2 = knots[i + 2]
			const p3 = knots[i + 3]
			let v =
				0.5 *
				(2 * p1 +
					(-p0 + p2) * t +
					(2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t +
					(-p0 + 3 * p1 - 3 * p2 + p3) * t * t * t)
			if (ridged) v = 1 - 2 * Math.abs(v)
			out[x] += amp * v
		}
		norm += amp
		amp *= gain
	}
	for (let x = 0; x < length; x++) out[x] /= norm
	return out
}
