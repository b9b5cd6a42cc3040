import type { Rect } from './insets'

/** Something a floating panel should not cover, and how much covering it costs per pixel. */
export interface Obstacle {
	rect: Rect
	weight: number
}

/** Cost per pixel of a panel outside the area it may use (off screen, under the prompt bar). */
const OUTSIDE_WEIGHT = 1000

function overlapArea(a: Rect, b: Rect): number {
	const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
	const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
	return w > 0 && h > 0 ? w * h : 0
}

/**
 * The index of the spot among `spots` (in order of preference) that covers the least of what
 * matters: each obstacle's overlap times its weight, plus what falls outside `bounds`. The first
 * spot wins a tie, so a panel stays where people expect it while that costs nothing.
 */
export function bestSpot(spots: Rect[], bounds: Rect, obstacles: Obstacle[]): number {
	let best = 0
	let bestCost = Number.POSITIVE_INFINITY
	spots.forEach((spot, index) => {
		let cost = (spot.w * spot.h - overlapArea(spot, bounds)) * OUTSIDE_WEIGHT
		for (const o of obstacles) cost += overlapArea(spot, o.rect) * o.weight
		if (cost < bestCost - 1e-6) {
			best = index
			bestCost = cost
		}
	})
	return best
}
