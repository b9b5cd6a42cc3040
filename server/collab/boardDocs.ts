import type { TLRecord } from '@tldraw/tlschema'
import { isEqual } from '@tldraw/utils'
import type { WSSharedDoc } from '@y/websocket-server/utils'
import { YKeyValue } from 'y-utility/y-keyvalue'
import type * as Y from 'yjs'
import {
	type JobProgress,
	JobProgressSchema,
	type ServerAwareness,
	TL_RECORDS_KEY,
} from '../../shared/collab'
import { BoardIdSchema, JobIdSchema } from '../../shared/ids'
import { type ReviewMarks, ReviewMarksSchema } from '../../shared/review'
import { createArborSchema } from '../../shared/shapes/schema'
import type { DocNamespace } from './docRegistry'

/** Transaction origin of everything the server writes into a board's doc. */
export const SERVER_ORIGIN = 'arbor-server'

/** The server as a Yjs peer of every board: reads and writes tldraw records, publishes job progress. */
export interface BoardDocs {
	/**
	 * The board's doc, loaded from SQLite (or seeded) if it is not in memory. Look it up again for
	 * every use: a doc is dropped from memory when its last client leaves or it sits idle.
	 */
	getDoc(boardId: string): Y.Doc
	/** Every record of the board. They are the doc's own objects: read them, never mutate them. */
	readRecords(boardId: string): TLRecord[]
	/** One record, or undefined. The doc's own object: read it, never mutate it. */
	getRecord(boardId: string, id: string): TLRecord | undefined
	/**
	 * Validates every record against the board schema (tldraw defaults + Arbor shapes, document
	 * scope only) first: throws `InvalidRecordError` on the first invalid one and writes nothing.
	 * Then writes all of them in one transaction (origin `SERVER_ORIGIN`), skipping records equal
	 * to what the doc holds. Persisted at once, whether or not anyone has the board open.
	 */
	writeRecords(boardId: string, records: TLRecord[]): void
	/** Deletes the records that exist, in one transaction. */
	deleteRecords(boardId: string, ids: string[]): void
	/**
	 * Ephemeral job progress, published in the server's awareness state of the board
	 * (`ServerAwarenessSchema`) and never written to the doc; null removes the job. Calls within one
	 * tick are sent as one awareness update. Kept across the doc being dropped from memory.
	 */
	setJobProgress(boardId: string, jobId: string, progress: JobProgress | null): void
	/**
	 * The board's review badges (current decision and open comments per candidate), published in
	 * the server's awareness state beside job progress, so every canvas updates its badges live
	 * without the doc growing. Replaces the previous marks; empty marks remove them. Calls within
	 * one tick are sent as one awareness update.
	 */
	setReviewMarks(boardId: string, marks: ReviewMarks): void
}

/** What attachCollab needs beyond the public API. */
export interface BoardDocsInternal extends BoardDocs {
	/**
	 * Puts the board's current job progress and review marks (read afresh through
	 * `loadReviewMarks`, when given) on a freshly loaded doc's awareness.
	 */
	restoreServerAwareness(boardId: string, doc: WSSharedDoc): void
}

/** A record the server was asked to write does not fit the board schema. */
export class InvalidRecordError extends Error {
	readonly recordId: string
	constructor(recordId: string, cause: unknown) {
		super(`invalid record ${recordId}: ${cause instanceof Error ? cause.message : String(cause)}`, {
			cause,
		})
		this.name = 'InvalidRecordError'
		this.recordId = recordId
	}
}

type RecordStore = YKeyValue<TLRecord>

// One YKeyValue per doc, shared by every module that reads the doc's records (BoardDocs, the lock
// guard): each instance observes the array for the life of the doc, and two instances would both
// "clean up" the same duplicate entries.
const stores = new WeakMap<Y.Doc, RecordStore>()

/** The doc's record store: the one YKeyValue over its `tl_records` array. */
export function recordStoreOf(doc: Y.Doc): RecordStore {
	let store = stores.get(doc)
	if (!store) {
		store = new YKeyValue<TLRecord>(doc.getArray(TL_RECORDS_KEY))
		stores.set(doc, store)
	}
	return store
}

const isEmptyMarks = (marks: ReviewMarks) =>
	Object.keys(marks.decisions).length === 0 && Object.keys(marks.comments).length === 0

/** What validation needs of a tldraw RecordType. */
interface RecordTypeCheck {
	typeName: string
	scope: string
	validate(record: unknown): TLRecord
}

let recordTypes: Record<string, RecordTypeCheck> | undefined

/** Validates a record against the board schema (document scope only); throws `InvalidRecordError`. */
export function validateForDoc(record: TLRecord): TLRecord {
	recordTypes ??= createArborSchema().types
	const id = typeof record?.id === 'string' ? record.id : '(no id)'
	const typeName = String(record?.typeName)
	const type = Object.hasOwn(recordTypes, typeName) ? recordTypes[typeName] : undefined
	if (!type) throw new InvalidRecordError(id, `unknown record type ${String(record?.typeName)}`)
	// Session and presence records (instance, camera, pointer…) belong to one client, not the board.
	if (type.scope !== 'document')
		throw new InvalidRecordError(id, `${type.typeName} is not a document record`)
	// What StoreSchema.validateRecord does, minus the Store it only hands to a failure hook.
	try {
		return type.validate(record)
	} catch (err) {
		throw new InvalidRecordError(id, err)
	}
}

export interface BoardDocsOptions {
	namespace: DocNamespace
	/**
	 * Reads a board's review marks from the database when its doc loads, so badges survive a
	 * restart. Without it, marks set since start-up are restored.
	 */
	loadReviewMarks?: (boardId: string) => ReviewMarks
}

export function createBoardDocs(options: BoardDocsOptions): BoardDocsInternal {
	const { namespace, loadReviewMarks } = options
	const jobsByBoard = new Map<string, Record<string, JobProgress>>()
	const reviewByBoard = new Map<string, ReviewMarks>()
	const awarenessDue = new Set<string>()

	function getDoc(boardId: string): WSSharedDoc {
		BoardIdSchema.parse(boardId)
		return namespace.get(boardId)
	}

	function publishState(boardId: string, doc: WSSharedDoc) {
		const jobs = jobsByBoard.get(boardId)
		const review = reviewByBoard.get(boardId)
		const state: ServerAwareness | null =
			jobs || review
				? { kind: 'arbor-server', jobs: jobs ?? {}, ...(review ? { review } : {}) }
				: null
		if (isEqual(doc.awareness.getLocalState(), state)) return
		doc.awareness.setLocalState(state)
	}

	/** Publishes the board's state once this tick's changes are in (one awareness update). */
	function schedulePublish(boardId: string) {
		// Only a doc in memory has clients to tell; a doc loaded later gets the state on load.
		if (awarenessDue.has(boardId)) return
		awarenessDue.add(boardId)
		queueMicrotask(() => {
			awarenessDue.delete(boardId)
			const doc = namespace.peek(boardId)
			if (doc) publishState(boardId, doc)
		})
	}

	function storeReview(boardId: string, marks: ReviewMarks) {
		if (isEmptyMarks(marks)) reviewByBoard.delete(boardId)
		else reviewByBoard.set(boardId, marks)
	}

	return {
		getDoc,
		readRecords(boardId) {
			return [...recordStoreOf(getDoc(boardId)).map.values()].map((entry) => entry.val)
		},
		getRecord(boardId, id) {
			return recordStoreOf(getDoc(boardId)).get(id)
		},
		writeRecords(boardId, records) {
			const valid = records.map(validateForDoc)
			const doc = getDoc(boardId)
			const store = recordStoreOf(doc)
			doc.transact(() => {
				for (const record of valid) {
					// A rewrite of the same record (a retried job step) would still append a new entry.
					// The doc keeps its own copy: a caller mutating its object later must not change the
					// server's doc behind the clients' backs.
					if (!isEqual(store.get(record.id), record)) store.set(record.id, structuredClone(record))
				}
			}, SERVER_ORIGIN)
		},
		deleteRecords(boardId, ids) {
			const doc = getDoc(boardId)
			const store = recordStoreOf(doc)
			doc.transact(() => {
				for (const id of ids) if (store.has(id)) store.delete(id)
			}, SERVER_ORIGIN)
		},
		setJobProgress(boardId, jobId, progress) {
			BoardIdSchema.parse(boardId)
			JobIdSchema.parse(jobId)
			const jobs = { ...jobsByBoard.get(boardId) }
			if (progress === null) delete jobs[jobId]
			else jobs[jobId] = JobProgressSchema.parse(progress)
			if (Object.keys(jobs).length > 0) jobsByBoard.set(boardId, jobs)
			else jobsByBoard.delete(boardId)
			schedulePublish(boardId)
		},
		setReviewMarks(boardId, marks) {
			BoardIdSchema.parse(boardId)
			storeReview(boardId, ReviewMarksSchema.parse(marks))
			schedulePublish(boardId)
		},
		restoreServerAwareness(boardId, doc) {
			if (loadReviewMarks) storeReview(boardId, loadReviewMarks(boardId))
			if (jobsByBoard.has(boardId) || reviewByBoard.has(boardId)) publishState(boardId, doc)
		},
	}
}
