import { once } from 'node:events'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import {
	api,
	buildBoard,
	buildServer,
	buildUser,
	type TestUser,
	tempDir,
} from '../server/test/factories'
import { seedLargeBoard } from './boardSeed'

const NODES = Number(process.env.ARBOR_BENCH_NODES ?? 500)
/** Chromium opens at most 6 connections per origin over HTTP/1.1: the concurrency a board sees. */
const CONCURRENCY = 6
/** Clients see published images and their lineage: a board with this many published. */
const PUBLISHED = 40

interface RunResult {
	p50: number
	p99: number
	reqPerS: number
	bytes: number
	/** The server's event loop busy time per request (ms): its cost, with less of the load's noise. */
	busy: number
}

/**
 * The load generator, in its own thread so that its fetch bookkeeping does not share the server's
 * event loop (it would be timed as server time). Fetches every URL once, `concurrency` at a time
 * (like a browser filling a view), and times each request from send to last byte.
 */
const LOAD = `
const { parentPort, workerData } = require('node:worker_threads')
const { urls, cookie, concurrency } = workerData
const times = []
let next = 0
let bytes = 0
const t0 = performance.now()
Promise.all(Array.from({ length: concurrency }, async () => {
	while (next < urls.length) {
		const url = urls[next++]
		const s = performance.now()
		const res = await fetch(url, { headers: { cookie } })
		const body = await res.arrayBuffer()
		if (res.status !== 200) throw new Error(url + ': ' + res.status)
		bytes += body.byteLength
		times.push(performance.now() - s)
	}
})).then(() => parentPort.postMessage({ times, bytes, wall: performance.now() - t0 }))
`

async function fetchAll(urls: string[], cookie: string): Promise<RunResult> {
	const elu = performance.eventLoopUtilization()
	const worker = new Worker(LOAD, {
		eval: true,
		workerData: { urls, cookie, concurrency: CONCURRENCY },
	})
	const [result] = (await once(worker, 'message')) as [
		{ times: number[]; bytes: number; wall: number },
	]
	const { active } = performance.eventLoopUtilization(elu)
	await worker.terminate()
	const { times, bytes, wall } = result
	times.sort((a, b) => a - b)
	const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]
	return {
		p50: at(0.5),
		p99: at(0.99),
		reqPerS: (urls.length / wall) * 1000,
		bytes,
		busy: active / urls.length,
	}
}

const line = (label: string, r: RunResult, count: number) =>
	`  ${label.padEnd(26)} p50 ${r.p50.toFixed(2)} ms · p99 ${r.p99.toFixed(2)} ms · ` +
	`${r.reqPerS.toFixed(0)} req/s · server busy ${r.busy.toFixed(2)} ms/req · ` +
	`${(r.bytes / count / 1024).toFixed(1)} KiB each`

/**
 * The image file route (`GET …/images/:imageId/file`) under a board's load: every thumbnail of a
 * `NODES`-node board fetched once with the browser's concurrency, per request latency (p50/p99)
 * and throughput, for a member and for a client (whose reads filter through the client view).
 * A warm-up pass first (sharp, SQLite page cache, derived sizes generated), then the timed pass.
 */
export async function benchImageFile(): Promise<void> {
	const tmp = tempDir('arbor-bench-file-')
	const server = await buildServer({ dataDir: tmp.dir })
	try {
		const owner = await buildUser(server, 'Ada')
		const board = await buildBoard(server, owner, 'Files')
		await seedLargeBoard(server, { boardId: board.id, userId: owner.id, nodes: NODES })
		const imageIds = server.ctx.db.$client
			.prepare('select id from images where board_id = ? order by id')
			.pluck()
			.all(board.id) as string[]
		const guest = await clientGuest(server, owner, board.id, imageIds.slice(0, PUBLISHED))
		const url = (id: string, size: string) =>
			`${server.url}/api/boards/${board.id}/images/${id}/file?size=${size}`
		const sizes = (process.env.ARBOR_BENCH_SIZES ?? 'thumb,small').split(',')
		console.log(
			`\nimage file route: ${imageIds.length} images, concurrency ${CONCURRENCY} (loopback, one server)`,
		)
		for (const size of sizes) {
			const urls = imageIds.map((id) => url(id, size))
			await fetchAll(urls, owner.cookie) // warm-up
			console.log(line(`member, size=${size}`, await fetchAll(urls, owner.cookie), urls.length))
			const published = imageIds.slice(0, PUBLISHED).map((id) => url(id, size))
			const repeated = Array.from({ length: 25 }, () => published).flat()
			await fetchAll(published, guest.cookie)
			console.log(
				line(`client, size=${size}`, await fetchAll(repeated, guest.cookie), repeated.length),
			)
		}
	} finally {
		await server.close()
		tmp.remove()
	}
}

/** A guest who joined through a client link, with `publish` published by the owner. */
async function clientGuest(
	server: { url: string },
	owner: TestUser,
	boardId: string,
	publish: string[],
): Promise<{ cookie: string }> {
	const ownerApi = api(server, owner.cookie)
	const link = await ownerApi.post(`/api/boards/${boardId}/share-links`, { role: 'client' })
	const joined = await api(server).post(`/api/share/${link.body.link.token}/join`, { name: 'Acme' })
	for (const id of publish) await ownerApi.raw('PUT', `/api/boards/${boardId}/publications/${id}`)
	return { cookie: joined.headers.get('set-cookie')!.split(';')[0] }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchImageFile()
