import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'
import type pino from 'pino'
import type * as Y from 'yjs'
import { META_KEY, SCHEMA_KEY, TL_RECORDS_KEY } from '../../shared/collab'
import { createArborSchema } from '../../shared/shapes/schema'
import { SERVER_ORIGIN } from './boardDocs'

const schema = createArborSchema()
const current = schema.serialize()
const currentJson = JSON.stringify(current)

/**
 * Brings a stored board up to the server's schema: migrates every record written under an older
 * one and records the new schema. Without it, clients would "migrate" the server's new records as
 * if they were old ones (the doc's schema says so) and lose their new fields.
 */
export function upgradeBoardSchema(doc: Y.Doc, logger: pino.Logger, boardId: string): void {
	const meta = doc.getMap(META_KEY)
	const stored = meta.get(SCHEMA_KEY) as SerializedSchema | undefined
	if (!stored || JSON.stringify(stored) === currentJson) return
	const entries = doc.getArray<{ key: string; val: TLRecord }>(TL_RECORDS_KEY)
	doc.transact(() => {
		const items = entries.toArray()
		for (let i = items.length - 1; i >= 0; i--) {
			const result = schema.migratePersistedRecord(items[i].val, stored, 'up')
			if (result.type !== 'success') {
				// Keep the record as it is: a client will skip it rather than lose the board.
				logger.warn(
					{ boardId, recordId: items[i].key, reason: result.reason },
					'record did not migrate',
				)
				continue
			}
			if (result.value === items[i].val) continue
			entries.delete(i, 1)
			entries.insert(i, [{ key: items[i].key, val: result.value }])
		}
		meta.set(SCHEMA_KEY, current)
	}, SERVER_ORIGIN)
	logger.info({ boardId }, 'board upgraded to the current schema')
}
