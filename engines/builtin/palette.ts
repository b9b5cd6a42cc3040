import { adjust, fromHsl, hex, pushAway, type Rgb, tintTowards, toHsl } from './color'
import { LEXICON, MOTIFS, type MotifName, STOP_WORDS, type Theme } from './lexicon'
import { hashString } from './prng'

/** What a prompt asks for, before any seed is involved: colours, motif weights, mood. */
export interface Style {
	sky: [Rgb, Rgb, Rgb]
	land: [Rgb, Rgb]
	water: [Rgb, Rgb]
	accent: Rgb
	windows: Rgb[]
	/** 0 (absent) … 1+ (asked for) per motif. */
	motifs: Record<MotifName, number>
	moon: boolean
	snow: number
	/** Stable per prompt: picks what the prompt's unknown words look like. */
	promptHash: number
}

/** Lowercase words, without punctuation; plural `s` dropped when only the singular is known. */
export function promptWords(text: string): string[] {
	return text
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter((w) => w.length > 0 && !STOP_WORDS.has(w))
}

function lookup(word: string): Theme | null {
	if (LEXICON[word]) return LEXICON[word]
	if (word.endsWith('es') && LEXICON[word.slice(0, -2)]) return LEXICON[word.slice(0, -2)]
	if (word.endsWith('s') && LEXICON[word.slice(0, -1)]) return LEXICON[word.slice(0, -1)]
	return null
}

/** Motifs an unknown word may nudge towards: the ones that fit almost any scene. */
const NUDGEABLE: readonly MotifName[] = ['orb', 'clouds', 'mountains', 'hills', 'water', 'mist']

interface Analysis {
	themes: Theme[]
	/** Hue-only tints from words the lexicon does not know. */
	unknown: Rgb[]
	nudges: MotifName[]
}

function analyse(text: string): Analysis {
	const themes: Theme[] = []
	const unknown: Rgb[] = []
	const nudges: MotifName[] = []
	for (const word of promptWords(text)) {
		const theme = lookup(word)
		if (theme) {
			themes.push(theme)
			continue
		}
		const h = hashString(word)
		unknown.push(fromHsl(h % 360, 0.65, 0.5))
		nudges.push(NUDGEABLE[(h >>> 9) % NUDGEABLE.length])
	}
	return { themes, unknown, nudges }
}

/** Weighted mean of the colours themes give for one slot; squared weights let the dominant win. */
function blendSlot<N extends number>(
	themes: Theme[],
	get: (t: Theme) => readonly string[] | undefined,
	weightOf: (t: Theme) => number,
	fallback: Rgb[] & { length: N },
): Rgb[] {
	const sums = fallback.map(() => [0, 0, 0])
	let total = 0
	for (const theme of themes) {
		const colours = get(theme)
		if (!colours) continue
		const w = weightOf(theme) ** 2
		colours.forEach((c, i) => {
			const rgb = hex(c)
			for (let k = 0; k < 3; k++) sums[i][k] += rgb[k] * w
		})
		total += w
	}
	if (total === 0) return fallback
	return sums.map((s) => [s[0] / total, s[1] / total, s[2] / total] as const)
}

/**
 * A default palette from the prompt's hash, for prompts the lexicon can't place: an analogous sky
 * over land in the complementary hue, which reads better than one hue throughout.
 */
function defaultPalette(h: number) {
	return {
		sky: [fromHsl(h - 25, 0.42, 0.28), fromHsl(h, 0.42, 0.56), fromHsl(h + 30, 0.6, 0.8)],
		land: [fromHsl(h + 180, 0.22, 0.45), fromHsl(h + 195, 0.32, 0.18)],
		water: [fromHsl(h + 190, 0.4, 0.45), fromHsl(h + 200, 0.5, 0.15)],
		accent: fromHsl(h + 35, 0.9, 0.72),
	}
}

/**
 * Reads a prompt (and the negative prompt) into a Style. Known words bring their theme; colour
 * words tint everything; unknown words add a faint hue of their own and nudge one motif, so every
 * prompt looks like *something* and different prompts look different. Negative words rotate
 * palette hues away from their colours and subtract their motifs.
 *
 * @example promptStyle('sunset over the ocean', null).motifs.water // 1
 */
export function promptStyle(prompt: string, negativePrompt: string | null): Style {
	const promptHash = hashString(prompt.trim().toLowerCase())
	const { themes, unknown, nudges } = analyse(prompt)
	const base = defaultPalette(promptHash % 360)
	const sky = blendSlot(
		themes,
		(t) => t.sky,
		(t) => t.skyWeight ?? 1,
		base.sky,
	)
	const land = blendSlot(
		themes,
		(t) => t.land,
		() => 1,
		base.land,
	)
	const water = blendSlot(
		themes,
		(t) => t.water,
		() => 1,
		base.water,
	)
	const [accent] = blendSlot(
		themes,
		(t) => (t.accent ? [t.accent] : undefined),
		() => 1,
		[base.accent],
	)
	const windowList = themes.flatMap((t) => t.windows ?? [])
	let windows = (windowList.length > 0 ? windowList : ['#ffd98a', '#ffc65c']).map(hex)

	let light = 0
	let saturation = 0
	let moon = 0
	let snow = 0
	const motifs = Object.fromEntries(MOTIFS.map((m) => [m, 0])) as Record<MotifName, number>
	for (const t of themes) {
		light += t.light ?? 0
		saturation += t.saturation ?? 0
		moon += t.moon ?? 0
		snow = Math.max(snow, t.snow ?? 0)
		// Asking twice doesn't double a motif; a veto (negative weight) always counts.
		for (const [m, w] of Object.entries(t.motifs ?? {})) {
			const k = m as MotifName
			motifs[k] = w < 0 ? motifs[k] + w : Math.max(motifs[k], w)
		}
	}
	for (const m of nudges) motifs[m] += 0.3
	// A prompt the lexicon can't place at all still gets a scene: its first unknown words choose.
	if (themes.every((t) => !t.motifs))
		for (const m of nudges.slice(0, 2)) motifs[m] = Math.max(motifs[m], 0.6)

	let palette: Rgb[] = [...sky, ...land, ...water, accent]
	const tints = themes.flatMap((t) => (t.tint ? [hex(t.tint)] : []))
	const tintAmount = Math.min(0.7, 0.45 * tints.length)
	for (const tint of tints)
		palette = palette.map((c) => tintTowards(c, tint, tintAmount / tints.length))
	for (const hue of unknown.slice(0, 4)) palette = palette.map((c) => tintTowards(c, hue, 0.1))
	const satScale = Math.max(0, 1 + saturation)
	palette = palette.map((c) => adjust(c, 0, satScale, light * 0.22))
	windows = windows.map((c) => adjust(c, 0, Math.max(0.3, satScale), 0))

	if (negativePrompt?.trim()) {
		const negative = analyse(negativePrompt)
		const unwanted: Rgb[] = [...negative.unknown]
		for (const t of negative.themes) {
			for (const c of [...(t.sky ?? []), ...(t.land ?? []), ...(t.water ?? [])])
				unwanted.push(hex(c))
			if (t.tint) unwanted.push(hex(t.tint), hex(t.tint))
			if (t.accent) unwanted.push(hex(t.accent))
			for (const [m, w] of Object.entries(t.motifs ?? {})) motifs[m as MotifName] -= 1.5 * w
		}
		// At most six unwanted colours: each push moves every palette colour a little further.
		for (const u of unwanted.filter((c) => toHsl(c)[1] > 0.15).slice(0, 6)) {
			palette = palette.map((c) => pushAway(c, u, 0.9))
		}
	}

	return {
		sky: [palette[0], palette[1], palette[2]],
		land: [palette[3], palette[4]],
		water: [palette[5], palette[6]],
		accent: palette[7],
		windows,
		motifs,
		moon: moon > 0,
		snow,
		promptHash,
	}
}
