/** Colours are sRGB triples in 0–1; the painter blends in that space (cheap, and looks right). */
export type Rgb = readonly [number, number, number]

export function hex(value: string): Rgb {
	const n = Number.parseInt(value.replace('#', ''), 16)
	return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255]
}

function clamp01(v: number): number {
	return v < 0 ? 0 : Math.min(v, 1)
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
	return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

export function luminance(c: Rgb): number {
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
}

/** Hue in degrees [0, 360), saturation and lightness in 0–1. */
export function toHsl(c: Rgb): [number, number, number] {
	const [r, g, b] = c
	const max = Math.max(r, g, b)
	const min = Math.min(r, g, b)
	const l = (max + min) / 2
	if (max === min) return [0, 0, l]
	const d = max - min
	const s = l > 0.5 ? d / (2 - max - min) : d / (max + min)
	let h: number
	if (max === r) h = (g - b) / d + (g < b ? 6 : 0)
	else if (max === g) h = (b - r) / d + 2
	else h = (r - g) / d + 4
	return [h * 60, s, l]
}

export function fromHsl(h: number, s: number, l: number): Rgb {
	const hue = (((h % 360) + 360) % 360) / 360
	const sat = clamp01(s)
	const lig = clamp01(l)
	if (sat === 0) return [lig, lig, lig]
	const q = lig < 0.5 ? lig * (1 + sat) : lig + sat - lig * sat
	const p = 2 * lig - q
	const channel = (t: number): number => {
		const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t
		if (u < 1 / 6) return p + (q - p) * 6 * u
		if (u < 1 / 2) return q
		if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6
		return p
	}
	return [channel(hue + 1 / 3), channel(hue), channel(hue - 1 / 3)]
}

/** Rotates hue, multiplies saturation, adds to lightness. */
export function adjust(c: Rgb, hueShift: number, satScale: number, lightShift = 0): Rgb {
	const [h, s, l] = toHsl(c)
	return fromHsl(h + hueShift, s * satScale, l + lightShift)
}

/** Signed smallest angle from hue a to hue b, in degrees (-180, 180]. */
export function hueDelta(a: number, b: number): number {
	const d = ((((b - a) % 360) + 540) % 360) - 180
	return d === -180 ? 180 : d
}

/** Moves a colour's hue towards the tint's and blends a little of it in; keeps its lightness. */
export function tintTowards(c: Rgb, tint: Rgb, amount: number): Rgb {
	const [h, s, l] = toHsl(c)
	const [th, ts] = toHsl(tint)
	const hue = s < 0.02 ? th : h + hueDelta(h, th) * amount
	return fromHsl(hue, s + (Math.max(ts, 0.35) - s) * amount * 0.8, l)
}

/**
 * Pushes a colour away from an unwanted one: hues within 100° rotate away and lose saturation in
 * proportion to how close they were. How negative prompts steer palettes.
 */
export function pushAway(c: Rgb, unwanted: Rgb, amount: number): Rgb {
	const [h, s, l] = toHsl(c)
	const [uh, us] = toHsl(unwanted)
	if (us < 0.08) {
		// A grey/black/white unwanted colour: push lightness away from it instead.
		const ul = toHsl(unwanted)[2]
		return fromHsl(h, s, l + (l >= ul ? 1 : -1) * 0.25 * amount * (1 - Math.abs(l - ul)))
	}
	const d = hueDelta(uh, h)
	const closeness = Math.max(0, 1 - Math.abs(d) / 100)
	if (closeness === 0) return c
	const away = d >= 0 ? 1 : -1
	return fromHsl(h + away * closeness * 110 * amount, s * (1 - 0.6 * closeness * amount), l)
}
