import type { TLRecord } from '@tldraw/tlschema'
import { isEqual } from '@tldraw/utils'
import type { WSSharedDoc } from '@y/websocket-server/utils'
import type { Logger } from 'pino'
import { YKeyValue } from 'y-utility/y-keyvalue'
import type * as Y from 'yjs'
import { META_KEY, SCHEMA_KEY, type ServerAwareness, TL_RECORDS_KEY } from '../../shared/collab'
import type { ReviewMarks } from '../../shared/review'
import { createArborSchema } from '../../shared/shapes/schema'
import type { Db } from '../db/client'
import { publishedImageIds } from '../queries/clientView'
import { imageLineage } from '../queries/lineage'
import { clientViewSettingsOf } from '../queries/publications'
import { reviewMarksOf } from '../queries/review'
import { getBoard } from '../queries/views'
import { createDocNamespace } from './docRegistry'
import {
	buildProjectionRecords,
	type ProjectionImage,
	validateProjectionRecords,
} from './projectionRecords'

/** Transaction origin of the projection's rebuilds. */
export const PROJECTION_ORIGIN = 'arbor-projection'

/**
 * The client view of each board: a second Y.Doc per board, built by the server from what is
 * published and served to `client` connections instead of the board's doc. It holds only the
 * published images and their lineage (never an unpublished id, never a hidden prompt), because a
 * client that is never sent the board's doc cannot be leaked anything from it. It is never stored:
 * the database is its source, so it is rebuilt whenever it is loaded.
 */
export interface Projections {
	/**
	 * Rebuilds the board's projection from the database and pushes the difference (changed records
	 * put, removed ones deleted, review badges) to its connected clients. Call after anything that
	 * changes what clients see: a publication, an unpublication, a settings change, a review
	 * decision or comment. Synchronous. A board nobody watches has no projection in memory; this is
	 * then a no-op (the next client builds it fresh).
	 */
	refresh(boardId: string): void
}

/** What attachCollab needs beyond the public API. */
export interface ProjectionsInternal extends Projections {
	/** The board's projection doc, built now if it is not in memory. */
	open(boardId: string): WSSharedDoc
	/** Drops a projection nobody is connected to. */
	release(boardId: string, doc: WSSharedDoc): void
	/** Drops every projection and stops routing the namespace. */
	close(): void
}

/** A board's client view: its records (validated) and the images they show. */
export interface ProjectionContent {
	records: TLRecord[]
	imageIds: Set<string>
	/** The published picks among them (each path's last image): the only ones with review badges. */
	pickIds: Set<string>
}

/** What the projection of a board holds now, read from the database. */
export function projectionOf(db: Db, boardId: string): ProjectionContent {
	const board = getBoard(db, boardId)
	const paths: ProjectionImage[][] = []
	for (const imageId of board ? publishedImageIds(db, boardId) : []) {
		const path: ProjectionImage[] = []
		// A rerolled grid's step (no single image) is skipped: the path joins the images around it.
		for (const step of imageLineage(db, boardId, imageId)) {
			if (step.imageId === null) continue
			path.push({
				imageId: step.imageId,
				jobId: step.jobId,
				op: step.op,
				params: step.params,
				prompt: step.prompt,
				width: step.width,
				height: step.height,
			})
		}
		if (path.at(-1)?.imageId === imageId) paths.push(path)
	}
	const showPrompts = board ? clientViewSettingsOf(board).showPrompts : false
	return {
		records: validateProjectionRecords(buildProjectionRecords({ paths, showPrompts })),
		imageIds: new Set(paths.flat().map((image) => image.imageId)),
		pickIds: new Set(paths.map((path) => path[path.length - 1].imageId)),
	}
}

/**
 * The board's review badges on the published picks; null when there are none. Not on their
 * ancestors: the client sees those images, but the team's verdicts on them are internal.
 */
function pickReviewMarks(db: Db, boardId: string, picks: Set<string>): ReviewMarks | null {
	const all = reviewMarksOf(db, boardId)
	const pick = <T>(marks: Record<string, T>) =>
		Object.fromEntries(Object.entries(marks).filter(([imageId]) => picks.has(imageId)))
	const marks = { decisions: pick(all.decisions), comments: pick(all.comments) }
	const empty = Object.keys(marks.decisions).length + Object.keys(marks.comments).length === 0
	return empty ? null : marks
}

let serializedSchema: ReturnType<ReturnType<typeof createArborSchema>['serialize']> | undefined

export function createProjections(options: { db: Db; logger: Logger }): ProjectionsInternal {
	const logger = options.logger.child({ module: 'projection' })
	// One YKeyValue per doc, for the doc's life (each instance observes the array).
	const stores = new WeakMap<Y.Doc, YKeyValue<TLRecord>>()

	function storeOf(doc: Y.Doc) {
		let store = stores.get(doc)
		if (!store) {
			store = new YKeyValue<TLRecord>(doc.getArray(TL_RECORDS_KEY))
			stores.set(doc, store)
		}
		return store
	}

	/** Makes the doc hold exactly `records`, touching only what differs. */
	function writeRecords(doc: Y.Doc, records: TLRecord[]) {
		const store = storeOf(doc)
		const ids = new Set<string>(records.map((r) => r.id))
		doc.transact(() => {
			// YKeyValue updates its map after the transaction: iterating it while deleting is safe.
			for (const [id] of store.map) if (!ids.has(id)) store.delete(id)
			for (const record of records)
				if (!isEqual(store.get(record.id), record)) store.set(record.id, record)
		}, PROJECTION_ORIGIN)
	}

	/**
	 * Brings the doc to the board's projection and puts the published picks' review badges on the
	 * server's awareness state — never the board's job progress: clients see no work in progress.
	 */
	function rebuild(boardId: string, doc: WSSharedDoc) {
		const { records, pickIds } = projectionOf(options.db, boardId)
		writeRecords(doc, records)
		let review: ReviewMarks | null = null
		try {
			review = pickReviewMarks(options.db, boardId, pickIds)
		} catch (err) {
			// The view opens without badges; the next refresh tries again.
			logger.error({ err, boardId }, 'could not read review marks for the client view')
		}
		const state: ServerAwareness | null = review ? { kind: 'arbor-server', jobs: {}, review } : null
		if (!isEqual(doc.awareness.getLocalState(), state)) doc.awareness.setLocalState(state)
	}

	const namespace = createDocNamespace({
		bindState(boardId, doc) {
			try {
				serializedSchema ??= createArborSchema().serialize()
				const schema = serializedSchema
				doc.transact(() => doc.getMap(META_KEY).set(SCHEMA_KEY, schema), PROJECTION_ORIGIN)
				rebuild(boardId, doc)
			} catch (err) {
				// getYDoc never registers a doc whose bindState threw; stop its awareness timer too.
				doc.destroy()
				throw err
			}
		},
		// Nothing to store: the database is the projection's source, rebuilt on every load.
		writeState: () => Promise.resolve(),
	})

	return {
		refresh(boardId) {
			const doc = namespace.peek(boardId)
			if (!doc) return
			try {
				rebuild(boardId, doc)
			} catch (err) {
				// The clients keep the view they have; the next refresh or load tries again.
				logger.error({ err, boardId }, 'could not rebuild the client view')
			}
		},
		open: (boardId) => namespace.get(boardId),
		release: (boardId, doc) => namespace.evict(boardId, doc),
		close() {
			for (const { boardId, doc } of namespace.loaded()) namespace.evict(boardId, doc)
			namespace.close()
		},
	}
}
