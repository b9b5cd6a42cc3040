import type { Rgb } from '../color'

/**
 * Motif layers are plain data (so a latent can be logged, compared and perturbed) and become
 * painters only at decode time. Positions are fractions of the image (x of width, y of height);
 * sizes are fractions of the shorter side unless noted, so one spec composes at any aspect.
 */
export interface PaintTarget {
	width: number
	height: number
	/** The float image so far, width × height × 3; rows above the one being painted are final. */
	image: Float32Array
}

/** Paints one row in place. `row` is the row's slice of `image`. */
export interface Layer {
	paintRow(y: number, row: Float32Array): void
}

export interface OrbSpec {
	kind: 'orb'
	x: number
	y: number
	radius: number
	core: Rgb
	rim: Rgb
	glow: Rgb
	/** Halo brightness, 0 … ~1.5. */
	halo: number
	/** Halo reach in orb radii. */
	spread: number
	/** Horizontal cut-outs across the lower half (the synthwave sun), 0 for none. */
	bands: number
	/** 1 paints the disc; 0 leaves only the halo (a light leak). */
	disc: number
}

export interface CloudsSpec {
	kind: 'clouds'
	seed: number
	top: number
	bottom: number
	/** Fraction of the band covered, 0–1. */
	cover: number
	lit: Rgb
	shadow: Rgb
	opacity: number
	/** Horizontal stretch, 1 = round puffs, 3 = long streaks. */
	stretch: number
}

export interface ParticlesSpec {
	kind: 'particles'
	seed: number
	/** Particles per 512² pixels. */
	density: number
	top: number
	bottom: number
	/** Gaussian radius in pixels at 512². */
	size: number
	color: Rgb
	/** Show only on dark pixels (stars), or everywhere (embers, snow). */
	darkOnly: boolean
	/** Fraction with a cross-shaped flare. */
	flare: number
}

export interface AuroraSpec {
	kind: 'aurora'
	seed: number
	y: number
	/** Curtain height as a fraction of image height. */
	height: number
	low: Rgb
	high: Rgb
	intensity: number
}

export interface RidgeSpec {
	kind: 'ridge'
	seed: number
	/** Mean crest height (fraction of height from the top). */
	base: number
	/** Crest variation, fraction of height. */
	amplitude: number
	/** 0 rolling hills … 1 jagged crags. */
	roughness: number
	/** Features across the width. */
	cells: number
	color: Rgb
	shade: Rgb
	haze: Rgb
	hazeAmount: number
	/** -1 light from the left … 1 from the right. */
	light: number
	snow: number
	snowColor: Rgb
}

export interface TreelineSpec {
	kind: 'treeline'
	seed: number
	base: number
	/** Tree height, fraction of image height. */
	height: number
	/** Trees per image width. */
	count: number
	color: Rgb
	shade: Rgb
	haze: Rgb
	hazeAmount: number
	light: number
}

export interface SkylineSpec {
	kind: 'skyline'
	seed: number
	base: number
	height: number
	color: Rgb
	shade: Rgb
	windows: Rgb[]
	/** Fraction of windows lit. */
	lit: number
	haze: Rgb
	hazeAmount: number
}

export interface WaterSpec {
	kind: 'water'
	seed: number
	horizon: number
	surface: Rgb
	deep: Rgb
	reflectivity: number
	ripple: number
	/** x of the light's glitter path, or null for none. */
	glintX: number | null
	glintColor: Rgb
	glint: number
}

export interface GridFloorSpec {
	kind: 'gridFloor'
	horizon: number
	ground: Rgb
	line: Rgb
	/** Lines across the width at the bottom edge. */
	lines: number
	vanishX: number
}

export interface MistSpec {
	kind: 'mist'
	seed: number
	y: number
	thickness: number
	color: Rgb
	amount: number
}

export interface StripesSpec {
	kind: 'stripes'
	/** Radians. */
	angle: number
	/** Fraction of the shorter side. */
	period: number
	phase: number
	colors: Rgb[]
	opacity: number
}

export type LayerSpec =
	| OrbSpec
	| CloudsSpec
	| ParticlesSpec
	| AuroraSpec
	| RidgeSpec
	| TreelineSpec
	| SkylineSpec
	| WaterSpec
	| GridFloorSpec
	| MistSpec
	| StripesSpec
