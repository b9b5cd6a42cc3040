import { fork } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { docs } from '@y/websocket-server/utils'
import pino from 'pino'
import { attachCollab } from '../server/collab/attachCollab'
import type { Authorize } from '../server/collab/upgradeAuth'
import { openDb } from '../server/db/client'
import { newId } from '../server/ids'
import { tempDir } from '../server/test/factories'
import { ms } from './benchKit'
import { buildBoard, seededRandom } from './docHealthBoard'

// `npm run bench`, capacity of one server: people editing at a person's pace (a shape moved twice
// a second, the cursor ten times a second) join in steps, spread over 10 and then over 100 boards,
// until the fan-out p99 (one person's change → every other person on the board) passes 100 ms.
// The server runs in this process; the people in a child process (bench/capacityClients.ts).

const TARGET_P99_MS = 100
const FIRST_STEP = 20
const GROWTH = 1.5
const CEILING = Number(process.env.CAPACITY_CEILING ?? 2000)
const WINDOW_MS = 4000
/** Each board's content: a working board of some 200 shapes (jobs with cards and arrows, notes). */
const BOARD_SHAPES = 200
/** Stop ramping one layout after this long: the whole benchmark stays within about 3 minutes. */
const BUDGET_MS = 75_000
/** Boards nobody is on leave memory after this long here (ARBOR_IDLE_DOC_MS; 30 s by default). */
const IDLE_DOC_MS = 2000

type Report = {
	edits: { n: number; p50: number; p99: number }
	cursors: { n: number; p50: number; p99: number }
	lagP99: number
}

function heapGc(): () => number {
	setFlagsFromString('--expose-gc')
	const gc = runInNewContext('gc') as () => void
	return () => {
		gc()
		gc()
		return process.memoryUsage().heapUsed
	}
}

/** Everyone may edit; the user id comes from `?u=` (the benchmark's people). */
const benchAuthorize: Authorize = async (req) => {
	const id = new URL(req.url ?? '/', 'http://localhost').searchParams.get('u') ?? 'usr_nobody'
	return { ok: true, role: 'editor', user: { id, name: id, color: '#1971c2' } }
}

async function startServer() {
	const tmp = tempDir('arbor-capacity-')
	const db = openDb(`${tmp.dir}/arbor.db`)
	const http = createServer((_req, res) => res.writeHead(404).end())
	const collab = attachCollab(http, {
		db,
		logger: pino({ level: 'warn' }),
		authorize: benchAuthorize,
		idleDocMs: IDLE_DOC_MS,
	})
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
	const { port } = http.address() as AddressInfo
	return {
		url: `ws://127.0.0.1:${port}/yjs`,
		collab,
		async close() {
			await collab.close()
			http.closeAllConnections()
			await new Promise((r) => http.close(r))
			db.$client.close()
			tmp.remove()
		},
	}
}

function spawnPeople(url: string) {
	const child = fork('bench/capacityClients.ts', [JSON.stringify({ url })], {
		execArgv: ['--import', 'tsx'],
	})
	const next = <T>() => once(child, 'message').then(([m]) => m as T)
	return {
		async add(boards: string[], count: number) {
			child.send({ add: { boards, count } })
			await next<{ ready: number }>()
		},
		async measure(): Promise<Report> {
			child.send({ reset: true })
			await new Promise((r) => setTimeout(r, WINDOW_MS))
			child.send({ report: true })
			return next<Report>()
		},
		async stop() {
			child.send({ stop: true })
			await once(child, 'exit')
		},
	}
}

/** Ramps people on `boardCount` boards; returns the most that kept fan-out p99 within target. */
async function ramp(server: Awaited<ReturnType<typeof startServer>>, boardCount: number) {
	const heap = heapGc()
	const base = heap()
	const boards = Array.from({ length: boardCount }, () => newId('board'))
	// Written by the server, so every board is open (in memory) with nobody on it yet.
	for (const [i, board] of boards.entries())
		server.collab.boards.writeRecords(board, buildBoard(seededRandom(i + 1), BOARD_SHAPES))
	const perBoard = (heap() - base) / boardCount
	const people = spawnPeople(server.url)
	const serverLag = monitorEventLoopDelay({ resolution: 10 })
	serverLag.enable()
	const started = Date.now()
	let held = 0
	let peakHeap = 0
	// At least two people a board: fan-out needs someone to receive.
	let step = Math.max(FIRST_STEP, 2 * boardCount)
	let clients = 0
	console.log(`  ${boardCount} boards of ${BOARD_SHAPES} shapes`)
	while (clients < CEILING && Date.now() - started < BUDGET_MS) {
		const add = Math.min(CEILING, Math.round(step)) - clients
		await people.add(boards, add)
		clients += add
		serverLag.reset()
		const report = await people.measure()
		peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
		const ok = report.edits.n > 0 && report.edits.p99 <= TARGET_P99_MS
		console.log(
			`    ${String(clients).padStart(5)} people  edits p50 ${ms(report.edits.p50)} p99 ${ms(report.edits.p99)}` +
				`  cursors p99 ${ms(report.cursors.p99)}  (${report.edits.n} edit, ${report.cursors.n} cursor arrivals)` +
				`  event-loop lag p99: server ${ms(serverLag.percentile(99) / 1e6)}, people ${ms(report.lagP99)}` +
				`${ok ? '' : '  over target'}`,
		)
		if (!ok) break
		held = clients
		step *= GROWTH
	}
	await people.stop()
	serverLag.disable()
	// The last person leaving a board stores it and drops it from memory; a board nobody joined is
	// dropped once idle.
	await new Promise((r) => setTimeout(r, IDLE_DOC_MS * 2 + 500))
	const names = [...docs.keys()]
	const leftOpen = boards.filter((b) => names.some((name) => name.endsWith(`/${b}`))).length
	return { held, perBoard, peopleHeap: (peakHeap - base) / boardCount, leftOpen }
}

export async function benchCapacity(): Promise<void> {
	console.log(
		'\ncapacity of one server: people editing at a person’s pace (2 edits/s, cursor 10/s)',
	)
	console.log(
		`  target (#13): fan-out p99 ≤ ${TARGET_P99_MS} ms; steps ×${GROWTH}, ceiling ${CEILING}`,
	)
	const server = await startServer()
	const results: string[] = []
	const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`
	for (const boardCount of [10, 100]) {
		const run = await ramp(server, boardCount)
		results.push(
			`  ${boardCount} boards: ${run.held} people held within target; heap per open board ${kb(run.perBoard)} idle,` +
				` ${kb(run.peopleHeap)} with its people at the last step; ${run.leftOpen} boards left in memory ${(IDLE_DOC_MS * 2 + 500) / 1000} s after everyone left (idle timeout ${IDLE_DOC_MS / 1000} s)`,
		)
	}
	await server.close()
	for (const line of results) console.log(line)
	console.log(
		`  load average ${loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}`,
	)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchCapacity()
	process.exit(0)
}
