import { fork } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { getYDoc, setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import { SERVER_ORIGIN } from '../server/collab/boardDocs'
import { api, buildBoard, buildServer, buildUser, tempDir } from '../server/test/factories'
import { YJS_PATH_PREFIX } from '../shared/collab'
import { jobShapeIds } from '../shared/records'
import type { GenerationShape } from '../shared/shapes/generationShape'
import { BENCH_LIMITS, ms, percentile, pregeneratedGrids, sleepingBackend } from './benchKit'

const CLIENTS = 50
const ROUNDS = 30

type Update = { update: Uint8Array; doneNode: string | null }

/** Wall clock with sub-millisecond precision, comparable across processes on one machine. */
const wallNow = () => performance.timeOrigin + performance.now()

/**
 * `CLIENTS` y-websocket clients in a child process (bench/fanoutClients.ts), as real clients
 * would be: the server's own work after sending does not hold up their event loop.
 */
async function spawnAudience(target: { url: string; room: string; cookie?: string }) {
	const child = fork('bench/fanoutClients.ts', [JSON.stringify({ ...target, count: CLIENTS })], {
		execArgv: ['--import', 'tsx'],
	})
	const seen = new Map<string, number[]>()
	const waiting = new Map<string, (times: number[]) => void>()
	let ready: () => void = () => {}
	const synced = new Promise<void>((r) => {
		ready = r
	})
	child.on('message', (m: { ready?: boolean; node?: string; status?: string; at?: number }) => {
		if (m.ready) return ready()
		const key = `${m.node}|${m.status}`
		const times = [...(seen.get(key) ?? []), m.at as number]
		seen.set(key, times)
		if (times.length === CLIENTS) waiting.get(key)?.(times)
	})
	await synced
	return {
		/** Every client's arrival time of `node` reaching `status`. */
		when(node: string, status: string): Promise<number[]> {
			const key = `${node}|${status}`
			const times = seen.get(key)
			if (times?.length === CLIENTS) return Promise.resolve(times)
			return new Promise((resolve) => waiting.set(key, resolve))
		},
		stop() {
			child.send({ stop: true })
			return new Promise((r) => child.once('exit', r))
		},
	}
}

/**
 * Arbor: `CLIENTS` y-websocket clients on one board. A round runs one job; fan-out is timed from
 * the start of the server's transaction that marks its node done (encode, persist, send, and the
 * clients applying it) to each client holding it. The round's doc updates are kept for the relay.
 */
async function startArbor() {
	const tmp = tempDir('arbor-bench-')
	// The job takes 100 ms, so every client is listening before its node turns done.
	const backend = sleepingBackend(100, await pregeneratedGrids(ROUNDS + 1))
	const server = await buildServer({ dataDir: tmp.dir, backend, env: BENCH_LIMITS })
	const user = await buildUser(server, 'Alice')
	const board = await buildBoard(server, user)
	const audience = await spawnAudience({
		url: `${server.url.replace('http', 'ws')}${YJS_PATH_PREFIX.slice(0, -1)}`,
		room: board.id,
		cookie: user.cookie,
	})
	const doc = server.ctx.boards.getDoc(board.id)
	let updates: Update[] = []
	let watching: string | null = null
	let began = 0
	let doneAt = 0
	let flipped = false
	const isDone = () =>
		watching !== null &&
		(server.ctx.boards.getRecord(board.id, watching) as GenerationShape | undefined)?.props
			.status === 'done'
	doc.on('beforeTransaction', () => {
		began = performance.now()
	})
	doc.on('afterTransaction', (tr: Y.Transaction) => {
		if (tr.origin !== SERVER_ORIGIN || doneAt !== 0 || !isDone()) return
		doneAt = performance.timeOrigin + began
		flipped = true
	})
	doc.on('update', (update: Uint8Array) => {
		updates.push({ update, doneNode: flipped ? watching : null })
		flipped = false
	})
	return {
		initial: Y.encodeStateAsUpdate(doc),
		async round(n: number) {
			updates = []
			const res = await api(server, user.cookie).post(`/api/boards/${board.id}/jobs`, {
				op: 'imagine',
				prompt: `fan-out ${n}`,
			})
			watching = jobShapeIds(res.body.job.id).node
			doneAt = 0
			const times = await audience.when(watching, 'done')
			return { latencies: times.map((t) => t - doneAt), updates }
		},
		async close() {
			await audience.stop()
			await server.close()
			tmp.remove()
		},
	}
}

/** The baseline: a bare @y/websocket-server relay holding the same doc, with as many clients. */
async function startRelay(initial: Uint8Array) {
	const wss = new WebSocketServer({ noServer: true })
	const http = createServer()
	http.on('upgrade', (req, socket, head) =>
		wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName: 'bench' })),
	)
	await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
	const port = (http.address() as AddressInfo).port
	const relayDoc = getYDoc('bench')
	Y.applyUpdate(relayDoc, initial)
	const audience = await spawnAudience({ url: `ws://127.0.0.1:${port}`, room: 'bench' })
	return {
		/** Applies a round's updates in order on the relay's doc; times the one marking done. */
		async replay(updates: Update[]): Promise<number[]> {
			const latencies: number[] = []
			for (const { update, doneNode } of updates) {
				if (!doneNode) {
					Y.applyUpdate(relayDoc, update)
					continue
				}
				// As in Arbor's round, the node reached every client as running long before it finished.
				await audience.when(doneNode, 'running')
				const t0 = wallNow()
				Y.applyUpdate(relayDoc, update)
				latencies.push(...(await audience.when(doneNode, 'done')).map((t) => t - t0))
			}
			return latencies
		},
		async close() {
			await audience.stop()
			wss.close()
			http.closeAllConnections()
			await new Promise((r) => http.close(r))
		},
	}
}

/** `npm run bench`, fan-out part (c): rounds alternate Arbor → relay, so load hits both alike. */
export async function benchFanout(): Promise<void> {
	const arbor = await startArbor()
	const relay = await startRelay(arbor.initial)
	const ours: number[] = []
	const bare: number[] = []
	for (let n = 0; n <= ROUNDS; n++) {
		const round = await arbor.round(n)
		const baseline = await relay.replay(round.updates)
		if (n === 0) continue // warm-up
		ours.push(...round.latencies)
		bare.push(...baseline)
	}
	await relay.close()
	await arbor.close()
	const p = percentile
	console.log(`\nqueue (c) fan-out: job completion → finished node in ${CLIENTS} clients`)
	console.log(
		`  ${ROUNDS} jobs; the clients run in a child process, as they would on other machines`,
	)
	console.log('  target (DESIGN.md): p99 ≤ 25 ms and ≤ 1.5× a bare y-websocket relay')
	console.log(
		`  bare relay, equal update   p50 ${ms(p(bare, 50))}   p99 ${ms(p(bare, 99))}  (baseline, same run)`,
	)
	const ratio = p(ours, 99) / p(bare, 99)
	const verdict = p(ours, 99) <= 25 && ratio <= 1.5 ? 'meets target' : 'MISSES target'
	console.log(
		`  Arbor                      p50 ${ms(p(ours, 50))}   p99 ${ms(p(ours, 99))}   p50 ratio ${(p(ours, 50) / p(bare, 50)).toFixed(2)}×   p99 ratio ${ratio.toFixed(2)}×  ${verdict}`,
	)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchFanout()
	process.exit(0)
}
