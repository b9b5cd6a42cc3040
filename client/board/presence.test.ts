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
import {
	cursorPresence,
	diffPresence,
	EMPTY_MARKS,
	presenceIdFor,
	presenceRecordsFor,
	readAwareness,
	sameMarks,
	sameViewport,
	viewportPresence,
} from './presence'

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

describe('readAwareness: review sessions', () => {
	it('lists other people presenting, once each, never self', () => {
		const states = new Map<number, unknown>([
			[1, { user: self, presenting: true }],
			[2, { ...ada, presenting: true }],
			[3, { ...bo, presenting: false }],
			[4, { ...ada, presenting: true }],
			[6, { user: self, presenting: true }],
		])
		const view = readAwareness(states, 1, self)
		expect(view.presenters).toEqual([{ ...ada.user, isSelf: false }])
	})

	it('reads the server’s review marks beside its jobs, and none when it has none', () => {
		const review = { decisions: { img_a: 'approved', img_b: 'rejected' }, comments: { img_a: 2 } }
		const withMarks = readAwareness(new Map([[4, { ...server, review }]]), 1, null)
		expect(withMarks.review).toEqual(review)
		expect(withMarks.jobs.job_abcdef1.status).toBe('running')
		expect(readAwareness(new Map([[4, server]]), 1, null).review).toBe(EMPTY_MARKS)
	})

	it('ignores a server state whose marks are malformed', () => {
		const bad = { ...server, review: { decisions: { img_a: 'loved' }, comments: {} } }
		const view = readAwareness(new Map([[4, bad]]), 1, null)
		expect(view.review).toBe(EMPTY_MARKS)
		expect(view.jobs).toEqual({})
	})
})

describe('sameMarks', () => {
	it('compares the badges, not the objects', () => {
		const a = { decisions: { img_a: 'approved' as const }, comments: { img_a: 1 } }
		expect(sameMarks(a, { decisions: { img_a: 'approved' }, comments: { img_a: 1 } })).toBe(true)
		expect(sameMarks(a, { decisions: { img_a: 'starred' }, comments: { img_a: 1 } })).toBe(false)
		expect(sameMarks(a, { decisions: { img_a: 'approved' }, comments: {} })).toBe(false)
		expect(sameMarks(EMPTY_MARKS, { decisions: {}, comments: {} })).toBe(true)
	})
})

describe('viewportPresence', () => {
	it('rounds the camera and the canvas size for publishing', () => {
		expect(
			viewportPresence({ x: -120.3456, y: 88.004, z: 0.753219 }, { w: 1079.6, h: 820.2 }),
		).toEqual({ camera: { x: -120.35, y: 88, z: 0.7532 }, screen: { w: 1080, h: 820 } })
	})

	it('publishes nothing the server would refuse (NaN and Infinity become null in JSON)', () => {
		expect(viewportPresence({ x: Number.NaN, y: 0, z: 1 }, { w: 10, h: 10 })).toBeNull()
		expect(viewportPresence({ x: 0, y: 0, z: 0 }, { w: 10, h: 10 })).toBeNull()
		expect(viewportPresence({ x: 0, y: 0, z: 1 }, { w: Number.POSITIVE_INFINITY, h: 1 })).toBeNull()
	})

	it('treats the same rounded viewport as unchanged', () => {
		const a = viewportPresence({ x: 1.001, y: 2, z: 1 }, { w: 100, h: 50 })
		const b = viewportPresence({ x: 1.002, y: 2, z: 1.00001 }, { w: 100.2, h: 50 })
		expect(sameViewport(a, b)).toBe(true)
		expect(sameViewport(a, viewportPresence({ x: 5, y: 2, z: 1 }, { w: 100, h: 50 }))).toBe(false)
		expect(sameViewport(null, a)).toBe(false)
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

	it('maps a presenter’s camera and canvas size into the record tldraw follows', () => {
		const presenter: Presence = {
			...ada,
			presenting: true,
			camera: { x: -300, y: 120.5, z: 0.75 },
			screen: { w: 1280, h: 720 },
		}
		const records = presenceRecordsFor({
			peers: new Map([
				[2, presenter],
				[3, bo],
			]),
			pageId: PAGE,
			previous: new Map(),
			now: 1000,
		})
		expect(records.get(presenceIdFor(2))).toMatchObject({
			camera: { x: -300, y: 120.5, z: 0.75 },
			screenBounds: { x: 0, y: 0, w: 1280, h: 720 },
		})
		expect(records.get(presenceIdFor(3))).toMatchObject({ camera: null, screenBounds: null })
		const store = createTLStore({
			shapeUtils: [...defaultShapeUtils, ...arborShapeUtils],
			bindingUtils: defaultBindingUtils,
		})
		store.mergeRemoteChanges(() => store.put([...records.values()]))
		expect(store.get(presenceIdFor(2))).toMatchObject({ screenBounds: { w: 1280, h: 720 } })
	})

	it('renews a record when only the camera moves, so followers see the pan', () => {
		const at = (x: number): Presence => ({
			...ada,
			camera: { x, y: 0, z: 1 },
			screen: { w: 800, h: 600 },
		})
		const first = presenceRecordsFor({
			peers: new Map([[2, at(0)]]),
			pageId: PAGE,
			previous: new Map(),
			now: 1,
		})
		const same = presenceRecordsFor({
			peers: new Map([[2, at(0)]]),
			pageId: PAGE,
			previous: first,
			now: 2,
		})
		expect(same.get(presenceIdFor(2))).toBe(first.get(presenceIdFor(2)))
		const panned = presenceRecordsFor({
			peers: new Map([[2, at(-40)]]),
			pageId: PAGE,
			previous: first,
			now: 3,
		})
		expect(panned.get(presenceIdFor(2))).toMatchObject({
			camera: { x: -40 },
			lastActivityTimestamp: 3,
		})
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

describe('presence at the edge of what a board holds', () => {
	it('publishes no viewport or cursor a board cannot hold (a record at 1e308 pans there)', () => {
		expect(viewportPresence({ x: -1e308, y: 0, z: 1 }, { w: 10, h: 10 })).toBeNull()
		expect(viewportPresence({ x: 0, y: 0, z: 1e-300 }, { w: 10, h: 10 })).toBeNull()
		expect(cursorPresence({ x: 1e308, y: 0 }, true)).toBeNull()
		expect(cursorPresence({ x: Number.POSITIVE_INFINITY, y: 0 }, true)).toBeNull()
		expect(cursorPresence({ x: 10.4, y: -3.6 }, true)).toEqual({ x: 10, y: -4 })
		expect(cursorPresence({ x: 10, y: 3 }, false)).toBeNull()
	})

	it('keeps a peer whose figures are out of range, without those figures', () => {
		const states = new Map<number, unknown>([
			[2, { ...ada, cursor: { x: 1e308, y: 0 }, camera: { x: null, y: 0, z: 1 } }],
			[3, { ...bo, screen: { w: -5, h: 1 } }],
		])
		const view = readAwareness(states, 1, self)
		expect(view.peers.get(2)).toEqual({ user: ada.user, cursor: null, camera: null })
		expect(view.peers.get(3)).toEqual({ user: bo.user, cursor: null, screen: null })
		expect(view.people.map((p) => p.name)).toEqual(['Me', 'Ada', 'Bo'])
	})
})
