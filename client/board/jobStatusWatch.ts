import { atom, type Signal, type TLShape, type TLStore } from 'tldraw'
import { GENERATION_SHAPE } from '../../shared/shapes/generationShape'
import { type BoardJobs, boardJobs } from './queueModel'

/** The little of a store record this looks at; every TLRecord fits it. */
interface RecordLike {
	typeName: string
	type?: unknown
	props?: unknown
}

/** A store change (`RecordsDiff`), reduced to what this looks at. */
export interface RecordChanges {
	added: Record<string, RecordLike>
	updated: Record<string, [from: RecordLike, to: RecordLike]>
	removed: Record<string, RecordLike>
}

function isGeneration(record: RecordLike): boolean {
	return record.typeName === 'shape' && record.type === GENERATION_SHAPE
}

function statusOf(record: RecordLike): unknown {
	return (record.props as { status?: unknown } | undefined)?.status
}

/**
 * Whether a store change touched a job's durable status: a node appeared (a job was asked for:
 * credits were reserved), its status moved (settled, refunded) or it was deleted. Moves, resizes
 * and everything else are ignored.
 */
export function changesJobStatus(changes: RecordChanges): boolean {
	for (const record of Object.values(changes.added)) if (isGeneration(record)) return true
	for (const record of Object.values(changes.removed)) if (isGeneration(record)) return true
	for (const [before, after] of Object.values(changes.updated)) {
		if (isGeneration(after) && statusOf(before) !== statusOf(after)) return true
	}
	return false
}

function readJobs(store: TLStore): BoardJobs {
	return boardJobs(
		store.allRecords().filter((record): record is TLShape => record.typeName === 'shape'),
	)
}

/**
 * The board's jobs as its nodes show them, kept current as statuses change (including the first
 * load). Panels that show money or the queue refetch when `jobs` changes, instead of polling.
 */
export function watchJobStatuses(store: TLStore): { jobs: Signal<BoardJobs>; dispose(): void } {
	const jobs = atom('board jobs', readJobs(store))
	const dispose = store.listen(
		({ changes }) => {
			if (changesJobStatus(changes)) jobs.set(readJobs(store))
		},
		{ scope: 'document' },
	)
	return { jobs, dispose }
}
