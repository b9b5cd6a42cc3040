/** Small per-pixel helpers; tiny enough for V8 to inline in the hot loops. */

export function smoothstep(edge0: number, edge1: number, x: number): number {
	const t = (x - edge0) / (edge1 - edge0)
	const u = t < 0 ? 0 : Math.min(t, 1)
	return u * u * (3 - 2 * u)
}

export function clamp01(x: number): number {
	return x < 0 ? 0 : Math.min(x, 1)
}

/** Screen-blends light (r, g, b scaled by amount) onto row pixel i: brightens, never clips. */
export function screenAt(
	row: Float32Array,
	i: number,
	r: number,
	g: number,
	b: number,
	amount: number,
): void {
	row[i] = 1 - (1 - row[i]) * (1 - r * amount)
	row[i + 1] = 1 - (1 - row[i + 1]) * (1 - g * amount)
	row[i + 2] = 1 - (1 - row[i + 2]) * (1 - b * amount)
}

/** Blends colour (r, g, b) over row pixel i with coverage a. */
export function overAt(
	row: Float32Array,
	i: number,
	r: number,
	g: number,
	b: number,
	a: number,
): void {
	row[i] += (r - row[i]) * a
	row[i + 1] += (g - row[i + 1]) * a
	row[i + 2] += (b - row[i + 2]) * a
}
