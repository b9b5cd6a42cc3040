import {
	createTLStore,
	defaultBindingUtils,
	defaultShapeUtils,
	type IndexKey,
	type TLRecord,
	type TLShapeId,
} from 'tldraw'
import { describe, expect, it } from 'vitest'
import {
	buildArrow,
	buildGenerationShape,
	buildPageRecords,
	buildPromptCard,
} from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import type { PromptShape } from '../../shared/shapes/promptShape'
import { arborShapeUtils } from '../shapes/arborShapeUtils'
import {
	applyRemoteChanges,
	isSyncedRecord,
	localChangesToYjs,
	migrateRemoteRecords,
	yjsChangesToRemote,
} from './yjsBridge'

function buildStore() {
	return createTLStore({
		shapeUtils: [...defaultShapeUtils, ...arborShapeUtils],
		bindingUtils: defaultBindingUtils,
	})
}

/** What the server writes for one vary job: its node, prompt card, and an arrow from a parent. */
function jobRecords(
	jobId: string,
	parent: TLShapeId,
): [GenerationShape, PromptShape, ...TLRecord[]] {
	const node = buildGenerationShape({
		jobId,
		x: 600,
		y: 0,
		index: 'a3' as IndexKey,
		op: 'vary',
		label: 'Vary (strong)',
		prompt: 'a lighthouse at dusk',
		aspect: 1,
		status: 'queued',
	})
	const card = buildPromptCard({
		jobId,
		x: 0,
		y: 0,
		index: 'a2' as IndexKey,
		prompt: 'a lighthouse at dusk',
		aspectRatio: '1:1',
		author: 'Ada',
	})
	const arrow = buildArrow({
		jobId,
		index: 'a4' as IndexKey,
		from: { shapeId: parent, anchor: { x: 0.5, y: 0.5 }, point: { x: 150, y: 75 } },
		to: { shapeId: node.id, anchor: { x: 0, y: 0.5 }, point: { x: 600, y: 200 } },
		meta: { kind: 'vary' },
	})
	return [node, card, ...arrow]
}

describe('applyRemoteChanges', () => {
	it('applies a valid batch in one merge, bindings after the shapes they bind', () => {
		const store = buildStore()
		const records = [
			...buildPageRecords(),
			...jobRecords('job_abcdef1', 'shape:prompt-job_abcdef1' as TLShapeId),
		]
		const result = applyRemoteChanges(store, { put: [...records].reverse(), remove: [] })
		expect(result).toEqual({ applied: records.length, skipped: [], batched: true })
		for (const record of records) expect(store.has(record.id)).toBe(true)
	})

	it('falls back to one by one and skips only the invalid record', () => {
		const store = buildStore()
		const [node, card] = jobRecords('job_abcdef2', 'shape:none' as TLShapeId)
		const broken = {
			...node,
			id: 'shape:broken',
			props: { ...node.props, w: 'wide' },
		} as unknown as TLRecord
		const skipped: string[] = []
		const result = applyRemoteChanges(
			store,
			{ put: [...buildPageRecords(), broken, node, card], remove: [] },
			(entry) => skipped.push(entry.id),
		)
		expect(result.batched).toBe(false)
		expect(result.skipped.map((s) => s.id)).toEqual(['shape:broken'])
		expect(skipped).toEqual(['shape:broken'])
		expect(store.has(node.id)).toBe(true)
		expect(store.has(card.id)).toBe(true)
		expect(store.has('shape:broken' as TLShapeId)).toBe(false)
	})

	it('skips a record of a type this client does not know', () => {
		const store = buildStore()
		const [node] = jobRecords('job_abcdef3', 'shape:none' as TLShapeId)
		const alien = { ...node, id: 'shape:alien', type: 'from-the-future' } as unknown as TLRecord
		const result = applyRemoteChanges(store, {
			put: [...buildPageRecords(), alien, node],
			remove: [],
		})
		expect(result.skipped.map((s) => s.id)).toEqual(['shape:alien'])
		expect(store.has(node.id)).toBe(true)
	})

	it('removes records, ignoring ids the store never had', () => {
		const store = buildStore()
		const [node] = jobRecords('job_abcdef4', 'shape:none' as TLShapeId)
		applyRemoteChanges(store, { put: [...buildPageRecords(), node], remove: [] })
		const result = applyRemoteChanges(store, {
			put: [],
			remove: [node.id, 'shape:never' as TLShapeId],
		})
		expect(result.batched).toBe(true)
		expect(store.has(node.id)).toBe(false)
	})
})

describe('localChangesToYjs', () => {
	it('writes document changes but keeps user records local', () => {
		const [node, card] = jobRecords('job_abcdef5', 'shape:none' as TLShapeId)
		const user = {
			id: 'user:usr_123456',
			typeName: 'user',
			name: 'Ada',
			color: '#000000',
			imageUrl: '',
			meta: {},
		} as TLRecord
		const writes = localChangesToYjs({
			added: { [node.id]: node, [user.id]: user } as never,
			updated: { [card.id]: [card, { ...card, x: 10 }] } as never,
			removed: {},
		})
		expect(writes.set.map((r) => r.id)).toEqual([node.id, card.id])
		expect(writes.delete).toEqual([])
		expect(isSyncedRecord(user)).toBe(false)
	})
})

describe('yjsChangesToRemote', () => {
	it('turns adds and updates into puts and deletes into removes', () => {
		const [node, card] = jobRecords('job_abcdef6', 'shape:none' as TLShapeId)
		const changes = yjsChangesToRemote(
			new Map([
				[node.id, { action: 'add' as const, newValue: node }],
				[card.id, { action: 'update' as const, oldValue: card, newValue: card }],
				['shape:gone', { action: 'delete' as const, oldValue: card }],
			]),
		)
		expect(changes.put.map((r) => r.id)).toEqual([node.id, card.id])
		expect(changes.remove).toEqual(['shape:gone'])
	})
})

describe('migrateRemoteRecords', () => {
	const store = buildStore()
	const ours = store.schema.serialize()
	const records = buildPageRecords()

	it('passes records through when the doc has our schema or none', () => {
		expect(migrateRemoteRecords(store.schema, ours, records)).toEqual({
			ok: true,
			records,
			failed: [],
		})
		expect(migrateRemoteRecords(store.schema, undefined, records)).toEqual({
			ok: true,
			records,
			failed: [],
		})
	})

	it('migrates records written under an older schema up to ours', () => {
		const older = { ...ours, sequences: { ...ours.sequences, 'com.tldraw.document': 1 } }
		const result = migrateRemoteRecords(store.schema, older, records)
		if (!result.ok) throw new Error(result.reason)
		expect(result.failed).toEqual([])
		expect(applyRemoteChanges(store, { put: result.records, remove: [] }).skipped).toEqual([])
	})

	it('refuses a doc written by a newer client', () => {
		const newer = { ...ours, sequences: { ...ours.sequences, 'com.tldraw.document': 99 } }
		expect(migrateRemoteRecords(store.schema, newer, records).ok).toBe(false)
	})
})
