import type { RecordsDiff, SerializedSchema, StoreSchema } from '@tldraw/store'
import type { TLRecord } from '@tldraw/tlschema'

/**
 * The pure half of the store ↔ Y.Doc bridge: which records cross, how remote records are migrated
 * and how they are applied without one bad record stalling the rest. `BoardSync` wires it up.
 */

/** The subset of a tldraw store the remote-apply path needs (a `TLStore` satisfies it). */
export interface RemoteApplyTarget {
	mergeRemoteChanges(fn: () => void): void
	put(records: TLRecord[]): void
	remove(ids: TLRecord['id'][]): void
	has(id: TLRecord['id']): boolean
}

export interface RemoteChanges {
	put: TLRecord[]
	remove: TLRecord['id'][]
}

export interface SkippedRecord {
	id: string
	error: unknown
}

export interface ApplyResult {
	applied: number
	skipped: SkippedRecord[]
	/** True when the whole batch went in at once (the fast path). */
	batched: boolean
}

// Parents before children: a binding or a child shape arriving before what it points at would be
// rejected (or "repaired" by a side effect) by the editor.
const TYPE_ORDER: Record<string, number> = { document: 0, page: 1, asset: 2, shape: 3, binding: 4 }

function putOrder(record: TLRecord): number {
	const base = TYPE_ORDER[record.typeName] ?? 5
	if (record.typeName === 'shape' && !record.parentId.startsWith('page:')) return base + 0.5
	return base
}

/**
 * Applies remote changes to the store as one `mergeRemoteChanges` batch. If the batch throws
 * (the store rolls it back), applies each change alone and reports the ones that still throw,
 * so a single invalid record never blocks the others.
 */
export function applyRemoteChanges(
	store: RemoteApplyTarget,
	changes: RemoteChanges,
	onSkip?: (skipped: SkippedRecord) => void,
): ApplyResult {
	const put = [...changes.put].sort((a, b) => putOrder(a) - putOrder(b))
	const remove = changes.remove
	const total = put.length + remove.length
	if (total === 0) return { applied: 0, skipped: [], batched: true }
	try {
		store.mergeRemoteChanges(() => {
			const present = remove.filter((id) => store.has(id))
			if (present.length) store.remove(present)
			if (put.length) store.put(put)
		})
		return { applied: total, skipped: [], batched: true }
	} catch {
		// Fall through to one by one; the culprits are reported below with their own errors.
	}
	const skipped: SkippedRecord[] = []
	const attempt = (id: string, fn: () => void) => {
		try {
			store.mergeRemoteChanges(fn)
		} catch (error) {
			const entry = { id, error }
			skipped.push(entry)
			onSkip?.(entry)
		}
	}
	for (const id of remove) attempt(id, () => store.has(id) && store.remove([id]))
	for (const record of put) attempt(record.id, () => store.put([record]))
	return { applied: total - skipped.length, skipped, batched: false }
}

export type MigrateOutcome =
	| { ok: true; records: TLRecord[]; failed: SkippedRecord[] }
	/** The doc was written by a newer Arbor: this client must reload before it may touch it. */
	| { ok: false; reason: string }

/**
 * Brings records written under `theirSchema` (the doc's `meta.schema`) up to this client's schema.
 * Without a stored schema the records are taken as they are (the store still validates them).
 */
export function migrateRemoteRecords(
	schema: StoreSchema<TLRecord, unknown>,
	theirSchema: SerializedSchema | undefined,
	records: TLRecord[],
): MigrateOutcome {
	if (!theirSchema || records.length === 0) return { ok: true, records, failed: [] }
	const migrations = schema.getMigrationsSince(theirSchema)
	if (!migrations.ok) return { ok: false, reason: migrations.error }
	if (migrations.value.length === 0) return { ok: true, records, failed: [] }
	if (migrations.value.some((m) => m.scope !== 'record')) {
		// Store-level migrations need every record at once.
		const store = Object.fromEntries(records.map((r) => [r.id, r]))
		const result = schema.migrateStoreSnapshot({ schema: theirSchema, store })
		if (result.type === 'error') return { ok: false, reason: result.reason }
		return { ok: true, records: Object.values(result.value), failed: [] }
	}
	const migrated: TLRecord[] = []
	const failed: SkippedRecord[] = []
	for (const record of records) {
		const result = schema.migratePersistedRecord(record, theirSchema, 'up')
		if (result.type === 'success') migrated.push(result.value)
		else failed.push({ id: record.id, error: new Error(`migration failed: ${result.reason}`) })
	}
	return { ok: true, records: migrated, failed }
}

/**
 * Whether a local record goes into the Y.Doc. The editor writes a document-scoped `user:` record
 * for whoever is signed in (for attribution) every time it mounts; synced, every visit of every
 * person would rewrite the shared doc. Names live in the database and in presence, and the editor
 * resolves them from the board's members, so `user:` records stay local.
 */
export function isSyncedRecord(record: TLRecord): boolean {
	return record.typeName !== 'user'
}

export interface YjsWrites {
	set: TLRecord[]
	delete: TLRecord['id'][]
}

/** What a local store change (a `store.listen` diff, document scope) writes into the doc. */
export function localChangesToYjs(changes: RecordsDiff<TLRecord>): YjsWrites {
	const set: TLRecord[] = []
	const del: TLRecord['id'][] = []
	for (const record of Object.values(changes.added)) if (isSyncedRecord(record)) set.push(record)
	for (const [, record] of Object.values(changes.updated)) {
		if (isSyncedRecord(record)) set.push(record)
	}
	for (const record of Object.values(changes.removed)) {
		if (isSyncedRecord(record)) del.push(record.id)
	}
	return { set, delete: del }
}

export type KeyValueChange =
	| { action: 'delete'; oldValue: unknown }
	| { action: 'update'; oldValue: unknown; newValue: unknown }
	| { action: 'add'; newValue: unknown }

/** Turns a YKeyValue `change` event into puts and removes (values read from the event itself). */
export function yjsChangesToRemote(changes: Map<string, KeyValueChange>): RemoteChanges {
	const put: TLRecord[] = []
	const remove: TLRecord['id'][] = []
	for (const [id, change] of changes) {
		if (change.action === 'delete') remove.push(id as TLRecord['id'])
		else put.push(change.newValue as TLRecord)
	}
	return { put, remove }
}
