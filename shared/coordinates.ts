import { z } from 'zod'

/**
 * How far from the origin anything may sit on a board, in page units (±10 million: thousands of
 * screens in every direction). tldraw stores positions as plain numbers, and numbers near the
 * float limit break every client: a node at x = 1e308 makes bounds, cameras and cursors overflow
 * to Infinity, which JSON turns into null. Every route that places a node, every record an editor
 * writes and every presence figure is held to this.
 */
export const MAX_COORDINATE = 10_000_000

/** A page coordinate a node, cursor or camera may have. */
export const CoordinateSchema = z.number().min(-MAX_COORDINATE).max(MAX_COORDINATE)

export const PointSchema = z.object({ x: CoordinateSchema, y: CoordinateSchema })

export function isCoordinate(value: unknown): value is number {
	return typeof value === 'number' && Math.abs(value) <= MAX_COORDINATE
}

/** The nearest coordinate a board may hold (0 for NaN). */
export function clampCoordinate(value: number): number {
	if (Number.isNaN(value)) return 0
	return Math.min(MAX_COORDINATE, Math.max(-MAX_COORDINATE, value))
}
