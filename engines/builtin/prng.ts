/**
 * Deterministic randomness for the built-in painter. Everything that varies between images is
 * drawn from these, never from Math.random, so the same inputs always give the same bytes.
 */

/** 32-bit FNV-1a of a string, finished with a murmur3 avalanche so near-identical words spread. */
export function hashString(text: string, salt = 0): number {
	let h = (0x811c9dc5 ^ salt) >>> 0
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i)
		h = Math.imul(h, 0x01000193)
	}
	return mix32(h)
}

/** murmur3's finaliser: a cheap, well-spread 32-bit → 32-bit hash. */
export function mix32(value: number): number {
	let h = value >>> 0
	h ^= h >>> 16
	h = Math.imul(h, 0x85ebca6b)
	h ^= h >>> 13
	h = Math.imul(h, 0xc2b2ae35)
	h ^= h >>> 16
	return h >>> 0
}

/** Hash of several integers, e.g. `hashInts(seed, index)`. */
export function hashInts(...values: number[]): number {
	let h = 0x9e3779b9
	for (const v of values) h = mix32(h ^ mix32(v >>> 0))
	return h
}

/** Hash of exactly four integers; the fixed arity keeps hot loops allocation-free. */
export function hashQuad(a: number, b: number, c: number, d: number): number {
	return mix32(mix32(mix32(mix32(a ^ 0x9e3779b9) ^ b) ^ c) ^ d)
}

/** A seeded random source: uniform floats in [0, 1) plus the helpers the painter needs. */
export interface Rng {
	next(): number
	/** Uniform in [min, max). */
	range(min: number, max: number): number
	/** Integer in [min, max]. */
	int(min: number, max: number): number
	/** true with probability p. */
	chance(p: number): boolean
	pick<T>(items: readonly T[]): T
	/** Roughly normal, mean 0, sd 1 (sum of uniforms: cheap and bounded). */
	gauss(): number
	/** An independent child stream, so adding a draw here does not shift every later draw there. */
	fork(label: string): Rng
}

/** mulberry32: tiny, fast, and good enough for composition choices. */
export function createRng(seed: number): Rng {
	let state = seed >>> 0
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0
		let t = state
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
	return {
		next,
		range: (min, max) => min + (max - min) * next(),
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		chance: (p) => next() < p,
		pick: (items) => items[Math.floor(next() * items.length)],
		gauss: () => (next() + next() + next() + next() - 2) * 1.732,
		fork: (label) => createRng(hashString(label, seed)),
	}
}

/**
 * Per-pixel white noise in [-1, 1): an integer hash of (x, y, seed), no state, no allocation.
 * Used for film grain and ordered-looking-free dithering.
 */
export function pixelNoise(x: number, y: number, seed: number): number {
	let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ seed
	h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
	h = Math.imul(h ^ (h >>> 12), 0x297a2d39)
	h ^= h >>> 15
	return (h & 0xffff) / 32768 - 1
}
