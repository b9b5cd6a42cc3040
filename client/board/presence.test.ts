import {
	createTLStore,
	defaultBindingUtils,
	defaultShapeUtils,
	type TLInstancePresence,
	type TLPageId,
} from 'tldraw'
import { describe, expect, it } from 'vitest'
import type { Presence } from '../../shared/collab'
import { arborShapeUtils } from '../shapes/arborShapeUtils'
import { diffPresence, presenceIdFor, presenceRecordsFor, readAwareness } from './presence'

const PAGE = 'page:page' as TLPageId
const ada: Presence = {
	user: { id: 'usr_ada0001', name: 'Ada', color: '#d9480f' },
	cursor: { x: 10, y: 20 },
}
const bo: Presence = { user: { id: 'usr_bo00001', name: 'Bo', color: '#1971c2' }, cursor: null }
const self = { id: 'usr_me00001', name: 'Me', color: '#2b8a3e', isSelf: true }
const server = {
	kind: 'arbor-server',
	jobs: { job_abcdef1: { status: 'running', progress: 0.4, position: null, etaMs: 3000 } },
}

describe('readAwareness', () => {
	it('separates peers, people and the server’s job progress', () => {
		const states = new Map<number, unknown>([
			[1, { user: self, cursor: null }],
			[2, ada],
			[3, bo],
			[4, server],
			[5, { user: { id: 'usr_ada0001', name: 'Ada', color: '#d9480f' } }],
		])
		const view = readAwareness(states, 1, self)
		expect([...view.peers.keys()]).toEqual([2, 3, 5])
		expect(view.people.map((p) => [p.name, p.isSelf])).toEqual([
			['Me', true],
			['Ada', false],
			['Bo', false],
		])
		expect(view.jobs.job_abcdef1.progress).toBe(0.4)
	})

	it('ignores states that match neither schema', () => {
		const states = new Map<number, unknown>([
			[2, { user: { id: 42 } }],
			[3, 'nonsense'],
			[4, { kind: 'arbor-server', jobs: { job_x: { status: 'exploded' } } }],
			[5, null],
		])
		const view = readAwareness(states, 1, null)
		expect(view.peers.size).toBe(0)
		expect(view.people).toEqual([])
		expect(view.jobs).toEqual({})
	})
})

describe('presenceRecordsFor', () => {
	const peers = new Map([
		[2, ada],
		[3, bo],
	])

	it('builds valid tldraw presence records keyed by awareness client id', () => {
		const records = presenceRecordsFor({ peers, pageId: PAGE, previous: new Map(), now: 1000 })
		const record = records.get(presenceIdFor(2))
		expect(record).toMatchObject({
			userId: 'user:usr_ada0001',
			userName: 'Ada',
			color: '#d9480f',
			currentPageId: PAGE,
			cursor: { x: 10, y: 20, type: 'default', rotation: 0 },
			lastActivityTimestamp: 1000,
		})
		const store = createTLStore({
			shapeUtils: [...defaultShapeUtils, ...arborShapeUtils],
			bindingUtils: defaultBindingUtils,
		})
		store.mergeRemoteChanges(() => store.put([...records.values()]))
		expect(store.has(presenceIdFor(3))).toBe(true)
	})

	it('keeps a record (and its activity time) while the person stays still', () => {
		const first = presenceRecordsFor({ peers, pageId: PAGE, previous: new Map(), now: 1000 })
		const moved = new Map([
			[2, { ...ada, cursor: { x: 11, y: 20 } }],
			[3, bo],
		])
		const second = presenceRecordsFor({ peers: moved, pageId: PAGE, previous: first, now: 2000 })
		expect(second.get(presenceIdFor(3))).toBe(first.get(presenceIdFor(3)))
		expect(second.get(presenceIdFor(2))?.lastActivityTimestamp).toBe(2000)
	})
})

describe('diffPresence', () => {
	it('puts new and changed records and removes departed ones', () => {
		const before = presenceRecordsFor({
			peers: new Map([
				[2, ada],
				[3, bo],
			]),
			pageId: PAGE,
			previous: new Map(),
			now: 1,
		})
		const after = new Map<TLInstancePresence['id'], TLInstancePresence>([
			[presenceIdFor(2), before.get(presenceIdFor(2)) as TLInstancePresence],
		])
		const moved = { ...(before.get(presenceIdFor(2)) as TLInstancePresence), cursor: null }
		expect(diffPresence(before, after)).toEqual({ put: [], remove: [presenceIdFor(3)] })
		after.set(moved.id, moved)
		expect(diffPresence(before, after).put).toEqual([moved])
	})
})
