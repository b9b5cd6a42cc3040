import type { TLRecord } from '@tldraw/tlschema'
import { isEqual } from '@tldraw/utils'
import * as Y from 'yjs'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import { recordStoreOf, SERVER_ORIGIN } from './boardDocs'
import type { CollabRole } from './upgradeAuth'

// A committed pick's final is locked on the canvas (tldraw `isLocked`). tldraw's UI already refuses
// to delete or edit a locked shape, but the lock is only a record field: any editor's client could
// send an update that deletes the shape or clears the flag. The server is the only peer everyone
// trusts, so it checks each non-owner update after applying it and writes back what was there.
// Reverting after the fact (rather than refusing the update) keeps the Yjs protocol intact: the
// update is already integrated and broadcast; the restore is one more update every peer receives.

/** A final the server locked because its pick was committed: only an owner may change it. */
export function isLockedCommitted(record: TLRecord | undefined): boolean {
	if (record?.typeName !== 'shape' || record.type !== GENERATION_SHAPE) return false
	const shape = record as GenerationShape
	return shape.isLocked && shape.props.kind === 'final' && shape.props.committed.length > 0
}

interface DocGuard {
	/** Locked committed records as they are now, by id. Kept current from the store's changes. */
	locked: Map<string, TLRecord>
	/** Origin of the non-owner update being applied right now; undefined otherwise. */
	guarding: unknown
	/** Records that update changed, as they were before it: to write back. */
	violations: Map<string, TLRecord>
}

/** What YKeyValue's `change` event reports per key (its typings leave the listener untyped). */
type RecordChange =
	| { action: 'add'; newValue: TLRecord }
	| { action: 'update'; oldValue: TLRecord; newValue: TLRecord }
	| { action: 'delete'; oldValue: TLRecord }

const guards = new WeakMap<Y.Doc, DocGuard>()

/**
 * The doc's guard, created on a non-owner's first update: one scan of the records for locked ones,
 * then each transaction looks only at the keys it changed (the store's change event), so checking
 * an update costs O(changed records), not O(board).
 */
function guardOf(doc: Y.Doc): DocGuard {
	const existing = guards.get(doc)
	if (existing) return existing
	const store = recordStoreOf(doc)
	const guard: DocGuard = { locked: new Map(), guarding: undefined, violations: new Map() }
	for (const [id, entry] of store.map)
		if (isLockedCommitted(entry.val)) guard.locked.set(id, entry.val)
	store.on('change', (changes: Map<string, RecordChange>, transaction: Y.Transaction) => {
		const guarded = guard.guarding !== undefined && transaction.origin === guard.guarding
		for (const [id, change] of changes) {
			const after = change.action === 'delete' ? undefined : change.newValue
			const before = guard.locked.get(id)
			// Deleted, unlocked, moved, edited: a non-owner may not change a locked committed record
			// at all. The index keeps the old record; the restore brings the doc back to it.
			if (guarded && before && !isEqual(after, before)) {
				if (!guard.violations.has(id)) guard.violations.set(id, before)
				continue
			}
			if (isLockedCommitted(after)) guard.locked.set(id, after!)
			else guard.locked.delete(id)
		}
	})
	guards.set(doc, guard)
	return guard
}

/**
 * Applies a client's document update (sync step 2 or update) as `Y.applyUpdate(doc, update,
 * origin)` does, then, for anyone but an owner, writes back every locked committed record the
 * update deleted or changed (origin `SERVER_ORIGIN`, so every peer, the sender included, gets it
 * back). Owners may unlock and delete. Viewers and clients never get here: their writes are
 * dropped before.
 */
export function applyGuardedUpdate(
	doc: Y.Doc,
	update: Uint8Array,
	origin: unknown,
	role: CollabRole,
): void {
	if (role === 'owner') {
		Y.applyUpdate(doc, update, origin)
		return
	}
	const guard = guardOf(doc)
	guard.guarding = origin
	try {
		Y.applyUpdate(doc, update, origin)
	} finally {
		guard.guarding = undefined
		// Also after a throw: what Yjs integrated before failing is in the doc and broadcast.
		restore(doc, guard)
	}
}

function restore(doc: Y.Doc, guard: DocGuard): void {
	if (guard.violations.size === 0) return
	const records = [...guard.violations.values()]
	guard.violations.clear()
	const store = recordStoreOf(doc)
	doc.transact(() => {
		for (const record of records) store.set(record.id, structuredClone(record))
	}, SERVER_ORIGIN)
}
