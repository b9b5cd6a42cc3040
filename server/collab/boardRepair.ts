import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type pino from 'pino'
import type * as Y from 'yjs'
import { TL_RECORDS_KEY } from '../../shared/collab'
import { clampCoordinate, isCoordinate } from '../../shared/coordinates'
import { SERVER_ORIGIN } from './boardDocs'

// Boards stored before editors' writes were validated may hold a shape at x = 1e308 (or
// Infinity: Yjs stores any float). Such a record broke every client of the board, and nobody could
// reach it to delete it. Loading the board brings it back to the board's edge, where it can be
// seen, moved or deleted like any other.

type Point = { x: number; y: number }

function isPoint(value: unknown): value is Point {
	return typeof value === 'object' && value !== null && 'x' in value && 'y' in value
}

function clampPoint<T extends Point>(point: T): T {
	return { ...point, x: clampCoordinate(point.x), y: clampCoordinate(point.y) }
}

const inBounds = (point: Point) => isCoordinate(point.x) && isCoordinate(point.y)

/** The record with every position a board cannot hold clamped to its edge, or null if it is fine. */
export function repairedRecord(record: TLRecord): TLRecord | null {
	if (record.typeName !== 'shape') return null
	let repaired: TLRecord | null = inBounds(record) ? null : clampPoint(record)
	// An arrow's ends are relative to the arrow, and just as able to overflow.
	const props = record.props as Record<string, unknown>
	for (const key of ['start', 'end'] as const) {
		const point = props[key]
		if (record.type !== 'arrow' || !isPoint(point) || inBounds(point)) continue
		repaired ??= { ...record }
		const before = (repaired as TLShape).props as Record<string, unknown>
		repaired = { ...repaired, props: { ...before, [key]: clampPoint(point) } } as TLRecord
	}
	return repaired
}

/** Repairs, in one transaction, every record of a loaded board that sits beyond its edge. */
export function repairBoardCoordinates(doc: Y.Doc, logger: pino.Logger, boardId: string): void {
	const entries = doc.getArray<{ key: string; val: TLRecord }>(TL_RECORDS_KEY)
	const items = entries.toArray()
	const repairs: Array<{ index: number; key: string; val: TLRecord }> = []
	items.forEach((item, index) => {
		const val = repairedRecord(item.val)
		if (val) repairs.push({ index, key: item.key, val })
	})
	if (repairs.length === 0) return
	doc.transact(() => {
		// From the end, so earlier indexes stay valid.
		for (const { index, key, val } of repairs.reverse()) {
			entries.delete(index, 1)
			entries.insert(index, [{ key, val }])
		}
	}, SERVER_ORIGIN)
	logger.warn(
		{ boardId, recordIds: repairs.map((r) => r.key) },
		'brought records beyond the board edge back to it',
	)
}
