import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { isEqual } from '@tldraw/utils'
import type pino from 'pino'
import type * as Y from 'yjs'
import { META_KEY } from '../../shared/collab'
import { GENERATION_SHAPE, generationShapeProps } from '../../shared/shapes/generationShape'
import { PROMPT_SHAPE, promptShapeProps } from '../../shared/shapes/promptShape'
import { recordStoreOf, SERVER_ORIGIN, validateForDoc } from './boardDocs'
import { repairedRecord } from './boardRepair'

// Editors write the doc directly: y-websocket applies whatever their client sends. tldraw's own
// sync server validates every record a client pushes against its schema and rejects the push; the
// Yjs protocol has no "reject", so, like the lock guard, the server applies a client's update and
// then writes back what it may not change — the record as it was, or the deletion of what it may
// not add — as one more update every peer (the sender included) receives. Checking costs
// O(records the update touched): the store's change event names them.

/** Props of Arbor's nodes only the server writes: they mirror the job and image records. */
const SERVER_OWNED_PROPS: Record<string, string[]> = {
	[GENERATION_SHAPE]: Object.keys(generationShapeProps).filter((k) => k !== 'w' && k !== 'h'),
	[PROMPT_SHAPE]: Object.keys(promptShapeProps).filter((k) => k !== 'w' && k !== 'h'),
}

type Owned = Record<string, unknown>

function ownedPropsOf(record: TLRecord | undefined): Owned | null {
	if (record?.typeName !== 'shape') return null
	const keys = SERVER_OWNED_PROPS[record.type]
	if (!keys) return null
	const props = (record as TLShape).props as Record<string, unknown>
	return Object.fromEntries(keys.map((key) => [key, props[key]]))
}

/**
 * A prompt card bound to no job: an editor's client makes one when a PNG that says how it was made
 * is dropped (a recall card). Nothing mirrors a job in it, so it is the client's to write, but it
 * can never become (or replace) a card of the server's: one with a job id is checked as usual.
 */
const isRecallCardProps = (props: Owned) => props.jobId === ''
const isRecallCard = (record: TLRecord) =>
	record.typeName === 'shape' &&
	record.type === PROMPT_SHAPE &&
	isRecallCardProps((record as TLShape).props as Owned)

/** A URL a member's browser would fetch from somewhere other than Arbor (or inline data). */
function isForeignUrl(value: unknown): boolean {
	if (typeof value !== 'string' || value === '') return false
	return !value.startsWith('/') || value.startsWith('//')
}

interface DocWriteGuard {
	/** Origin of the client update being applied right now; undefined otherwise. */
	guarding: unknown
	/**
	 * Server-owned props of Arbor's nodes as the server last wrote them, by shape id. Kept after a
	 * client deletes the node, so its undo (the same record back) is accepted.
	 */
	owned: Map<string, Owned>
	/** What to write back: the record as it was, or undefined to delete one that was added. */
	reverts: Map<string, TLRecord | undefined>
	/** The meta map as the server last wrote it; a client's change to it is undone. */
	meta: Map<string, unknown>
	metaTouched: boolean
	problems: Array<{ id: string; problem: string }>
}

/** Why a client may not write `record` under `key`, or null. */
function recordProblem(key: string, record: TLRecord, owned: Map<string, Owned>): string | null {
	if (record?.id !== key) return 'the key is not the record id'
	try {
		validateForDoc(record)
	} catch (err) {
		return err instanceof Error ? err.message : 'invalid record'
	}
	if (repairedRecord(record)) return 'a position beyond the board'
	const props = ownedPropsOf(record)
	const known = owned.get(record.id)
	if (props && !(isRecallCard(record) && (!known || isRecallCardProps(known)))) {
		if (!known) return 'only the server creates Arbor nodes'
		if (!isEqual(known, props)) return 'props only the server writes were changed'
	}
	if (record.typeName === 'asset') {
		const assetProps = (record as { props: Record<string, unknown> }).props
		if (Object.values(assetProps).some(isForeignUrl)) return 'an asset from outside Arbor'
	}
	return null
}

type RecordChange =
	| { action: 'add'; newValue: TLRecord }
	| { action: 'update'; oldValue: TLRecord; newValue: TLRecord }
	| { action: 'delete'; oldValue: TLRecord }

const guards = new WeakMap<Y.Doc, DocWriteGuard>()

function guardOf(doc: Y.Doc): DocWriteGuard {
	const existing = guards.get(doc)
	if (existing) return existing
	const store = recordStoreOf(doc)
	const metaMap = doc.getMap(META_KEY)
	const guard: DocWriteGuard = {
		guarding: undefined,
		owned: new Map(),
		reverts: new Map(),
		meta: new Map(metaMap.entries()),
		metaTouched: false,
		problems: [],
	}
	for (const [id, entry] of store.map) {
		const props = ownedPropsOf(entry.val)
		if (props) guard.owned.set(id, props)
	}
	store.on('change', (changes: Map<string, RecordChange>, transaction: Y.Transaction) => {
		const guarded = guard.guarding !== undefined && transaction.origin === guard.guarding
		for (const [id, change] of changes) {
			if (!guarded) {
				if (change.action === 'delete') {
					if (transaction.origin === SERVER_ORIGIN) guard.owned.delete(id)
					continue
				}
				const props = ownedPropsOf(change.newValue)
				if (props) guard.owned.set(id, props)
				continue
			}
			// A client may delete what it can see (the lock guard keeps committed finals).
			if (change.action === 'delete') continue
			const problem = recordProblem(id, change.newValue, guard.owned)
			if (!problem) continue
			guard.problems.push({ id, problem })
			if (!guard.reverts.has(id))
				guard.reverts.set(id, change.action === 'update' ? change.oldValue : undefined)
		}
	})
	metaMap.observe((_event, transaction) => {
		if (guard.guarding !== undefined && transaction.origin === guard.guarding)
			guard.metaTouched = true
		else guard.meta = new Map(metaMap.entries())
	})
	guards.set(doc, guard)
	return guard
}

/**
 * Runs `apply` (a client's update being applied with `origin`) under the write guard, then writes
 * back every record the update made invalid, placed beyond the board, forged server-owned props
 * in, or pointed at a foreign URL, and the meta map (the schema) if it touched it.
 */
export function withWriteGuard(
	doc: Y.Doc,
	origin: unknown,
	log: pino.Logger,
	apply: () => void,
): void {
	const guard = guardOf(doc)
	guard.guarding = origin
	try {
		apply()
	} finally {
		guard.guarding = undefined
		// Also after a throw: what Yjs integrated before failing is in the doc and broadcast.
		restore(doc, guard, log)
	}
}

function restore(doc: Y.Doc, guard: DocWriteGuard, log: pino.Logger): void {
	if (guard.reverts.size === 0 && !guard.metaTouched) return
	if (guard.problems.length > 0)
		log.warn({ problems: guard.problems.slice(0, 10) }, 'reverted records a client may not write')
	const reverts = [...guard.reverts]
	guard.reverts.clear()
	guard.problems = []
	const metaTouched = guard.metaTouched
	guard.metaTouched = false
	const store = recordStoreOf(doc)
	const metaMap = doc.getMap(META_KEY)
	doc.transact(() => {
		for (const [id, before] of reverts) {
			if (before) store.set(id, structuredClone(before))
			else store.delete(id)
		}
		if (!metaTouched) return
		if (metaTouched) log.warn('reverted a client write to the board meta (its schema)')
		for (const key of metaMap.keys()) if (!guard.meta.has(key)) metaMap.delete(key)
		for (const [key, value] of guard.meta)
			if (!isEqual(metaMap.get(key), value)) metaMap.set(key, structuredClone(value))
	}, SERVER_ORIGIN)
}
