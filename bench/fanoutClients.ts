import type { TLRecord } from '@tldraw/tlschema'
import WebSocket from 'ws'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { TL_RECORDS_KEY } from '../shared/collab'

// The fan-out benchmark's audience, in its own process (as real clients would be): `count`
// y-websocket clients on one room. Every time a client sees a generation node change status it
// reports `{ node, status, at }` to the parent, `at` on the machine's wall clock (ms, sub-ms
// precision) so the parent can compare it with its own.

const { url, room, cookie, count } = JSON.parse(process.argv[2]) as {
	url: string
	room: string
	cookie?: string
	count: number
}

const now = () => performance.timeOrigin + performance.now()
// Each y-websocket provider adds a process 'exit' listener in Node; 50 of them are expected here.
process.setMaxListeners(count + 10)

class CookieWebSocket extends WebSocket {
	constructor(address: string, protocols?: string | string[]) {
		super(address, protocols, cookie ? { headers: { cookie } } : {})
	}
}

const providers: WebsocketProvider[] = []
for (let i = 0; i < count; i++) {
	const doc = new Y.Doc()
	const provider = new WebsocketProvider(url, room, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
	})
	providers.push(provider)
	const records = new YKeyValue<TLRecord>(doc.getArray(TL_RECORDS_KEY))
	const statuses = new Map<string, string>()
	records.on('change', (changes: Map<string, { action: string }>) => {
		const at = now()
		for (const [key, change] of changes) {
			if (change.action === 'delete') continue
			const status = (records.get(key) as { props?: { status?: unknown } } | undefined)?.props
				?.status
			if (typeof status !== 'string' || statuses.get(key) === status) continue
			statuses.set(key, status)
			process.send?.({ node: key, status, at })
		}
	})
}

const ready = setInterval(() => {
	if (!providers.every((p) => p.synced)) return
	clearInterval(ready)
	process.send?.({ ready: true })
}, 20)

process.on('message', (message: { stop?: boolean }) => {
	if (!message.stop) return
	for (const provider of providers) provider.destroy()
	process.exit(0)
})
