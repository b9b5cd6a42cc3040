/**
 * The words the built-in painter recognises, and what each one does to the palette and the
 * motifs. Words not listed here still steer the image through their hash (see palette.ts).
 */

export const MOTIFS = [
	'orb',
	'clouds',
	'stars',
	'aurora',
	'mountains',
	'hills',
	'dunes',
	'trees',
	'city',
	'water',
	'grid',
	'mist',
	'embers',
	'snowfall',
	'stripes',
] as const
export type MotifName = (typeof MOTIFS)[number]

export interface Theme {
	/** Sky gradient: top, middle, horizon. */
	sky?: readonly [string, string, string]
	/** How much this word's sky counts against other words' skies (default 1). */
	skyWeight?: number
	/** Land: far (hazy) and near (foreground). */
	land?: readonly [string, string]
	/** Water: surface near the horizon, deep in the foreground. */
	water?: readonly [string, string]
	/** The light: sun, moon, neon glow. */
	accent?: string
	/** A colour word: tints the whole palette towards it. */
	tint?: string
	/** -1 dark … +1 bright. */
	light?: number
	/** -1 grey … +1 vivid. */
	saturation?: number
	motifs?: Partial<Record<MotifName, number>>
	/** > 0 makes the orb a moon, < 0 a sun. */
	moon?: number
	/** Snow on peaks, 0–1. */
	snow?: number
	/** Lit window colours for cities. */
	windows?: readonly string[]
}

const sunset: Theme = {
	sky: ['#2b1d52', '#c34a6e', '#ffb25b'],
	accent: '#ffd07a',
	motifs: { orb: 1, clouds: 0.8 },
	moon: -1,
	saturation: 0.15,
}
const dawn: Theme = {
	sky: ['#4d6fae', '#f2a39b', '#ffe2ad'],
	accent: '#fff0b8',
	motifs: { orb: 0.9, mist: 0.6 },
	moon: -1,
}
const ocean: Theme = {
	sky: ['#2f6db8', '#86bfe6', '#dcf0f8'],
	skyWeight: 0.25,
	water: ['#3f86b8', '#0a2d4d'],
	motifs: { water: 1, clouds: 0.6 },
}
const forest: Theme = {
	sky: ['#7d9a94', '#b9ccc0', '#e4ebdc'],
	skyWeight: 0.3,
	land: ['#5d8a6a', '#0c2619'],
	motifs: { trees: 1, mist: 0.5 },
}
const mist: Theme = {
	sky: ['#93a9b0', '#d0d9d3', '#f4eedf'],
	skyWeight: 0.5,
	saturation: -0.1,
	motifs: { mist: 1 },
}
const night: Theme = {
	sky: ['#03060f', '#0d1733', '#24396b'],
	accent: '#e9eef8',
	light: -0.45,
	motifs: { stars: 1, orb: 0.55 },
	moon: 1,
	windows: ['#ffd98a', '#ffc25c', '#fff2c4'],
}
const mountain: Theme = {
	land: ['#6b7a99', '#252c40'],
	motifs: { mountains: 1 },
	snow: 0.4,
}
const neon: Theme = {
	sky: ['#0d0221', '#5b0f7a', '#ff2e88'],
	accent: '#ff5fa8',
	land: ['#2a0f4a', '#07020f'],
	saturation: 0.45,
	motifs: { grid: 0.8, aurora: 0.4, orb: 0.5 },
	windows: ['#ff2e88', '#19e3ff', '#ffe45c', '#b84dff'],
}
const city: Theme = {
	land: ['#3b3f57', '#14151f'],
	motifs: { city: 1 },
	windows: ['#ffd98a', '#ffc65c', '#fff1c1'],
}
const desert: Theme = {
	sky: ['#6fa3d0', '#cfe1e6', '#f7e3bf'],
	skyWeight: 0.5,
	land: ['#e3a866', '#a45a2c'],
	accent: '#fff4c8',
	motifs: { dunes: 1, orb: 0.6 },
	moon: -1,
}
const snow: Theme = {
	sky: ['#87a3c6', '#cdd9e7', '#f0f4f8'],
	skyWeight: 0.6,
	land: ['#e4ecf5', '#9fb4cf'],
	saturation: -0.25,
	motifs: { snowfall: 0.7, mountains: 0.4 },
	snow: 1,
}
const fire: Theme = {
	sky: ['#160400', '#8c1b02', '#ff6a0d'],
	accent: '#ffcf40',
	land: ['#3a0d02', '#120300'],
	saturation: 0.3,
	motifs: { embers: 1 },
}
const space: Theme = {
	sky: ['#02010a', '#1d0c3f', '#4f2377'],
	accent: '#8fd0ff',
	light: -0.3,
	saturation: 0.2,
	// No ground: hills below -0.5 veto the default foreground.
	motifs: { stars: 1, clouds: 0.6, orb: 0.7, hills: -1 },
}
const storm: Theme = {
	sky: ['#2c3038', '#59606b', '#9aa1a6'],
	skyWeight: 0.8,
	light: -0.2,
	saturation: -0.3,
	motifs: { clouds: 1 },
}
const meadow: Theme = {
	sky: ['#4c8fd6', '#a8d2ee', '#eef6e8'],
	skyWeight: 0.4,
	land: ['#9cc46a', '#3f7a33'],
	motifs: { hills: 1, clouds: 0.6 },
}
const autumn: Theme = { land: ['#d2793a', '#6e2a12'], tint: '#e07b39', motifs: { trees: 0.5 } }
const aurora: Theme = {
	sky: ['#020912', '#08243a', '#0f4a5a'],
	accent: '#7dffcf',
	// Clouds would hide the curtains.
	motifs: { aurora: 1, stars: 0.8, clouds: -1 },
	moon: 1,
	light: -0.3,
}
const synthwave: Theme = { ...neon, motifs: { grid: 1, orb: 1, stripes: 0.3 }, moon: -1 }
const abstract: Theme = { motifs: { stripes: 1, orb: 0.8, clouds: 0.6 }, saturation: 0.2 }
const sun: Theme = { accent: '#fff1b0', motifs: { orb: 1 }, moon: -1, light: 0.15 }
const moon: Theme = { accent: '#eef2ff', motifs: { orb: 1 }, moon: 2 }
const cloudy: Theme = { motifs: { clouds: 1 } }
const lake: Theme = { ...ocean, water: ['#5f9cb8', '#16384a'] }

const colour = (tint: string, extra: Theme = {}): Theme => ({ tint, ...extra })

export const LEXICON: Readonly<Record<string, Theme>> = {
	sunset,
	dusk: sunset,
	evening: sunset,
	twilight: { ...sunset, light: -0.2 },
	dawn,
	sunrise: dawn,
	morning: dawn,
	ocean,
	sea: ocean,
	beach: { ...ocean, land: ['#e8d3a4', '#b89a6a'] },
	coast: ocean,
	wave: ocean,
	water: ocean,
	lake,
	river: lake,
	reflection: lake,
	forest,
	woods: forest,
	pine: forest,
	tree: forest,
	jungle: { ...forest, land: ['#3f8a4a', '#0b2e14'], saturation: 0.25 },
	misty: mist,
	mist,
	fog: mist,
	foggy: mist,
	haze: mist,
	hazy: mist,
	night,
	midnight: night,
	starry: night,
	star: { motifs: { stars: 1 } },
	mountain,
	peak: mountain,
	alps: { ...mountain, snow: 0.9 },
	cliff: mountain,
	valley: { ...mountain, motifs: { mountains: 0.8, hills: 0.5, mist: 0.4 } },
	neon,
	cyberpunk: { ...neon, motifs: { city: 1, grid: 0.3 } },
	synthwave,
	vaporwave: { ...synthwave, sky: ['#2d1b69', '#ff71ce', '#01cdfe'] },
	retro: synthwave,
	city,
	urban: city,
	skyline: city,
	street: city,
	building: city,
	metropolis: city,
	town: city,
	desert,
	dune: desert,
	sand: desert,
	sahara: desert,
	snow,
	snowy: snow,
	winter: snow,
	ice: snow,
	frozen: snow,
	arctic: snow,
	glacier: { ...snow, motifs: { mountains: 1 } },
	fire,
	flame: fire,
	lava: { ...fire, motifs: { embers: 1, mountains: 0.7 } },
	volcano: { ...fire, motifs: { embers: 1, mountains: 1 } },
	inferno: fire,
	ember: fire,
	space,
	galaxy: space,
	cosmos: space,
	cosmic: space,
	nebula: { ...space, motifs: { stars: 1, clouds: 1 } },
	planet: space,
	storm,
	stormy: storm,
	rain: storm,
	thunder: storm,
	cloud: cloudy,
	meadow,
	field: meadow,
	grass: meadow,
	hill: meadow,
	spring: { ...meadow, tint: '#f5a6c8' },
	summer: { ...meadow, ...sun, motifs: { hills: 1, orb: 1 } },
	autumn,
	fall: autumn,
	aurora,
	borealis: aurora,
	abstract,
	pattern: abstract,
	geometric: abstract,
	sun,
	sunny: sun,
	moon,
	moonlight: moon,
	moonlit: moon,
	red: colour('#d8343a'),
	crimson: colour('#b3122e'),
	orange: colour('#f08a24'),
	yellow: colour('#f2c832'),
	gold: colour('#e0a82e', { light: 0.1 }),
	golden: colour('#e0a82e', { light: 0.1 }),
	green: colour('#3fa34d'),
	emerald: colour('#1f9e6e'),
	teal: colour('#1f9e9e'),
	cyan: colour('#19c8e0'),
	turquoise: colour('#30d5c8'),
	blue: colour('#2f6fdb'),
	navy: colour('#1a2a6c', { light: -0.2 }),
	purple: colour('#8a3fd1'),
	violet: colour('#8a3fd1'),
	lavender: colour('#b59ce6', { light: 0.1 }),
	pink: colour('#ef6fae'),
	magenta: colour('#e0219a', { saturation: 0.3 }),
	dark: { light: -0.45 },
	moody: { light: -0.25, saturation: -0.2, motifs: { mist: 0.4 } },
	bright: { light: 0.3 },
	pastel: { light: 0.3, saturation: -0.4 },
	vivid: { saturation: 0.5 },
	monochrome: { saturation: -1 },
	black: { light: -0.5, saturation: -0.3 },
	white: { light: 0.4, saturation: -0.3 },
}

/** Words that carry no look: skipped instead of hashed into a tint. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
	'a an the of over under at in on by with and or to from for into above below near its it is this that very some'.split(
		' ',
	),
)
