import { monitorEventLoopDelay } from 'node:perf_hooks'
import { toRichText } from '@tldraw/tlschema'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { TL_RECORDS_KEY } from '../shared/collab'
import { BOARD_PAGE_ID } from '../shared/records'

// The capacity benchmark's people, in their own process (bench/capacity.ts drives it): each is a
// real y-websocket client on one board that moves its own rectangle twice a second and its cursor
// ten times a second, as a person working does. Every client times what reaches it from the
// others: a rectangle's `meta.sentAt`, and a cursor whose x is the send time (ms, modulo CLOCK).

type Entry = {
	key: string
	val: { meta?: { sentAt?: number; by?: string } } & Record<string, unknown>
}

const { url } = JSON.parse(process.argv[2]) as { url: string }
const CLOCK = 1_000_000
const EDIT_MS = 500
const CURSOR_MS = 100
const now = () => performance.timeOrigin + performance.now()
process.setMaxListeners(0)

const edits: number[] = []
const cursors: number[] = []
const lag = monitorEventLoopDelay({ resolution: 10 })
lag.enable()

interface Person {
	provider: WebsocketProvider
	doc: Y.Doc
	timers: NodeJS.Timeout[]
}
const people: Person[] = []

function rectangle(id: string, by: string, x: number) {
	return {
		id,
		typeName: 'shape',
		type: 'geo',
		x,
		y: 0,
		rotation: 0,
		index: 'a5',
		parentId: BOARD_PAGE_ID,
		isLocked: false,
		opacity: 1,
		meta: { sentAt: now(), by },
		props: {
			geo: 'rectangle',
			w: 200,
			h: 120,
			color: 'black',
			labelColor: 'black',
			fill: 'none',
			dash: 'draw',
			size: 'm',
			font: 'draw',
			align: 'middle',
			verticalAlign: 'middle',
			growY: 0,
			url: '',
			scale: 1,
			flipX: false,
			flipY: false,
			richText: toRichText(''),
		},
	}
}

function join(board: string, n: number) {
	const id = `usr_cap${String(n).padStart(5, '0')}`
	const shapeId = `shape:cap-${n}`
	const doc = new Y.Doc()
	const provider = new WebsocketProvider(url, board, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: { u: id },
	})
	provider.awareness.setLocalState({ user: { id, name: `Person ${n}`, color: '#1971c2' } })
	const array = doc.getArray<Entry>(TL_RECORDS_KEY)
	// What the others send: only what was added (no scan of the board per update).
	array.observe((event) => {
		const at = now()
		for (const item of event.changes.added) {
			for (const entry of item.content.getContent() as Entry[]) {
				const meta = entry.val?.meta
				if (meta?.sentAt && meta.by !== id) edits.push(at - meta.sentAt)
			}
		}
	})
	provider.awareness.on('change', ({ updated }: { updated: number[] }) => {
		const at = now() % CLOCK
		for (const client of updated) {
			if (client === doc.clientID) continue
			const x = (provider.awareness.getStates().get(client) as { cursor?: { x: number } })?.cursor
				?.x
			if (typeof x === 'number') cursors.push((at - x + CLOCK) % CLOCK)
		}
	})
	const person: Person = { provider, doc, timers: [] }
	const edit = () => {
		if (!provider.synced) return
		doc.transact(() => {
			const entries = array.toArray()
			const at = entries.findIndex((e) => e.key === shapeId)
			if (at >= 0) array.delete(at, 1)
			array.push([
				{ key: shapeId, val: rectangle(shapeId, id, (n % 50) * 250 + Math.random() * 10) },
			])
		})
	}
	const moveCursor = () => {
		if (provider.synced)
			provider.awareness.setLocalStateField('cursor', { x: now() % CLOCK, y: Math.random() * 1000 })
	}
	// Start at a random phase, so people don't all act on the same tick.
	const phase = Math.random()
	person.timers.push(
		setTimeout(() => person.timers.push(setInterval(edit, EDIT_MS)), phase * EDIT_MS),
		setTimeout(() => person.timers.push(setInterval(moveCursor, CURSOR_MS)), phase * CURSOR_MS),
	)
	people.push(person)
}

const percentile = (values: number[], p: number) => {
	if (values.length === 0) return 0
	const sorted = [...values].sort((a, b) => a - b)
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]
}

process.on(
	'message',
	(m: {
		add?: { boards: string[]; count: number }
		reset?: boolean
		report?: boolean
		stop?: boolean
	}) => {
		if (m.add) {
			const start = people.length
			for (let i = 0; i < m.add.count; i++)
				join(m.add.boards[(start + i) % m.add.boards.length], start + i)
			const ready = setInterval(() => {
				if (!people.every((p) => p.provider.synced)) return
				clearInterval(ready)
				process.send?.({ ready: people.length })
			}, 50)
		}
		if (m.reset) {
			edits.length = 0
			cursors.length = 0
			lag.reset()
		}
		if (m.report) {
			process.send?.({
				edits: { n: edits.length, p50: percentile(edits, 50), p99: percentile(edits, 99) },
				cursors: { n: cursors.length, p50: percentile(cursors, 50), p99: percentile(cursors, 99) },
				lagP99: lag.percentile(99) / 1e6,
			})
		}
		if (m.stop) {
			for (const person of people) {
				for (const timer of person.timers) clearInterval(timer)
				person.provider.destroy()
			}
			setTimeout(() => process.exit(0), 100)
		}
	},
)
