import type { Logger } from 'pino'
import * as Y from 'yjs'
import { META_KEY, SCHEMA_KEY, TL_RECORDS_KEY } from '../../shared/collab'
import { buildPageRecords } from '../../shared/records'
import { createArborSchema } from '../../shared/shapes/schema'
import type { Db } from '../db/client'
import { SERVER_ORIGIN } from './boardDocs'
import { repairBoardCoordinates } from './boardRepair'
import { upgradeBoardSchema } from './schemaUpgrade'

/** Default for `compactAfterRows`. */
export const DEFAULT_COMPACT_AFTER_ROWS = 200

export interface BoardPersistenceOptions {
	db: Db
	logger: Logger
	/**
	 * When a board has more stored updates than this, they are replaced by one update holding the
	 * whole doc. Default 200.
	 */
	compactAfterRows?: number
}

/**
 * A board's Y.Doc in SQLite (`yjs_updates`): every update is appended as it happens, so nothing is
 * lost if the process dies; now and then the rows are compacted into one.
 */
export interface BoardPersistence {
	/**
	 * Loads a fresh doc from its stored updates — synchronously, so no client can sync against a
	 * half-loaded doc — seeds an empty board (document, page, schema) and from then on appends every
	 * update. Throws if the rows cannot be read: serving an empty board would be worse.
	 */
	bind(boardId: string, doc: Y.Doc): void
	/**
	 * Stores the whole doc as one row, replacing the board's rows (skipped when that is already the
	 * case). Returns false, and logs, when the store failed: the caller must keep the doc in memory.
	 */
	flush(boardId: string, doc: Y.Doc): boolean
}

interface UpdateRow {
	id: number
	update: Buffer
}

let serializedSchema: ReturnType<ReturnType<typeof createArborSchema>['serialize']> | undefined

/** Puts what every board starts with into an empty doc. */
function seedBoard(doc: Y.Doc) {
	serializedSchema ??= createArborSchema().serialize()
	const schema = serializedSchema
	doc.transact(() => {
		doc.getMap(META_KEY).set(SCHEMA_KEY, schema)
		// The YKeyValue layout ({ key, val } entries in a Y.Array), written directly: a YKeyValue
		// instance adds an observer to the array for the life of the doc, which a seed doesn't need.
		doc
			.getArray(TL_RECORDS_KEY)
			.push(buildPageRecords().map((record) => ({ key: record.id, val: record })))
	}, SERVER_ORIGIN)
}

const asBuffer = (update: Uint8Array) =>
	Buffer.from(update.buffer, update.byteOffset, update.byteLength)

export function createBoardPersistence(options: BoardPersistenceOptions): BoardPersistence {
	const { logger } = options
	const compactAfterRows = options.compactAfterRows ?? DEFAULT_COMPACT_AFTER_ROWS
	if (!Number.isInteger(compactAfterRows) || compactAfterRows < 1)
		throw new Error('compactAfterRows must be a positive integer')

	// Prepared statements on the better-sqlite3 handle rather than drizzle queries: this is the
	// hottest write path of the server (every edit on every board), and bind needs a synchronous read.
	// Table and columns: `yjsUpdates` in server/db/schema.ts.
	const sqlite = options.db.$client
	const selectRows = sqlite.prepare<[string], UpdateRow>(
		'SELECT id, "update" FROM yjs_updates WHERE board_id = ? ORDER BY id',
	)
	const insertRow = sqlite.prepare<[string, Buffer]>(
		'INSERT INTO yjs_updates (board_id, "update") VALUES (?, ?)',
	)
	const deleteRows = sqlite.prepare<[string]>('DELETE FROM yjs_updates WHERE board_id = ?')
	const replaceRows = sqlite.transaction((boardId: string, update: Buffer) => {
		deleteRows.run(boardId)
		insertRow.run(boardId, update)
	})

	/** Rows stored per bound board, counted here so compaction needs no COUNT(*) per update. */
	const rowCounts = new Map<string, number>()
	/**
	 * Boards whose stored rows miss an update (an append failed). Later updates may depend on the
	 * missing one, so appending alone can't repair them: only a full snapshot can.
	 */
	const unsaved = new Set<string>()

	function flush(boardId: string, doc: Y.Doc): boolean {
		if (!unsaved.has(boardId) && (rowCounts.get(boardId) ?? 0) === 1) return true
		try {
			replaceRows(boardId, asBuffer(Y.encodeStateAsUpdate(doc)))
		} catch (err) {
			unsaved.add(boardId)
			logger.error({ err, boardId }, 'could not store the board doc; keeping it in memory')
			return false
		}
		rowCounts.set(boardId, 1)
		unsaved.delete(boardId)
		return true
	}

	function append(boardId: string, doc: Y.Doc, update: Uint8Array) {
		// A snapshot covers this update and whatever went missing before it.
		if (unsaved.has(boardId)) return void flush(boardId, doc)
		try {
			insertRow.run(boardId, asBuffer(update))
		} catch (err) {
			unsaved.add(boardId)
			logger.error({ err, boardId }, 'could not store a board update; keeping the doc in memory')
			return
		}
		const rows = (rowCounts.get(boardId) ?? 0) + 1
		rowCounts.set(boardId, rows)
		if (rows > compactAfterRows) flush(boardId, doc)
	}

	return {
		bind(boardId, doc) {
			const rows = selectRows.all(boardId)
			// One transaction: observers and the 'update' event run once, not once per row.
			doc.transact(() => {
				for (const row of rows) {
					try {
						Y.applyUpdate(doc, row.update)
					} catch (err) {
						// Skip the row and load the rest: one bad row must not make the board unopenable.
						logger.error(
							{ err, boardId, rowId: row.id },
							'skipped a stored update that fails to apply',
						)
					}
				}
			})
			rowCounts.set(boardId, rows.length)
			// Registered after loading, so what was just read is not written back.
			doc.on('update', (update: Uint8Array) => append(boardId, doc, update))
			if (doc.store.clients.size === 0) seedBoard(doc)
			else {
				upgradeBoardSchema(doc, logger, boardId)
				repairBoardCoordinates(doc, logger, boardId)
			}
		},
		flush,
	}
}
