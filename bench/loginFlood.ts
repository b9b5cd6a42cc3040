import { once } from 'node:events'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import sharp from 'sharp'
import { buildBoard, buildServer, buildUser, tempDir } from '../server/test/factories'

/** Wrong-password requests in flight at once, as in the attack that found the starvation. */
const FLOOD = 32
const SAMPLES = Number(process.env.ARBOR_BENCH_FLOOD_SAMPLES ?? 60)

/**
 * Keeps `FLOOD` wrong-password logins in flight (each a different unknown email) until told to
 * stop; reports how many it sent and how they were answered. In a thread of its own so its
 * bookkeeping is not timed as the server's.
 */
const FLOODER = `
const { parentPort, workerData } = require('node:worker_threads')
const { url, flood } = workerData
let stop = false
const statuses = {}
parentPort.on('message', () => { stop = true })
let n = 0
Promise.all(Array.from({ length: flood }, async () => {
	while (!stop) {
		const res = await fetch(url + '/api/auth/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'nobody-' + n++ + '@example.com', password: 'guess guess' }),
		})
		await res.arrayBuffer()
		statuses[res.status] = (statuses[res.status] ?? 0) + 1
	}
})).then(() => parentPort.postMessage({ statuses }))
`

async function fetchTimes(url: string, cookie: string): Promise<number[]> {
	const times: number[] = []
	for (let i = 0; i < SAMPLES; i++) {
		const started = performance.now()
		const res = await fetch(url, { headers: { cookie } })
		await res.arrayBuffer()
		if (res.status !== 200) throw new Error(`${url}: ${res.status}`)
		times.push(performance.now() - started)
	}
	return times.sort((a, b) => a - b)
}

const p = (times: number[], q: number) =>
	times[Math.min(times.length - 1, Math.floor(q * times.length))]

async function measure(label: string, env: Record<string, string>) {
	const tmp = tempDir('arbor-bench-flood-')
	const server = await buildServer({ dataDir: tmp.dir, env })
	try {
		const owner = await buildUser(server, 'Ada')
		const board = await buildBoard(server, owner, 'Flood')
		// A photo-sized noisy PNG (~3 MiB): a read the threadpool must serve, not a cache hit.
		const png = await sharp(
			Buffer.from(Array.from({ length: 1024 * 1024 * 3 }, () => (Math.random() * 256) | 0)),
			{
				raw: { width: 1024, height: 1024, channels: 3 },
			},
		)
			.png()
			.toBuffer()
		const up = await fetch(`${server.url}/api/boards/${board.id}/uploads?x=0&y=0`, {
			method: 'POST',
			headers: { 'content-type': 'image/png', cookie: owner.cookie },
			body: new Uint8Array(png),
		})
		if (up.status !== 201) throw new Error(`upload: ${up.status} ${await up.text()}`)
		const imageId = server.ctx.db.$client
			.prepare('select id from images where board_id = ?')
			.pluck()
			.get(board.id) as string
		const url = `${server.url}/api/boards/${board.id}/images/${imageId}/file?size=full`
		await fetchTimes(url, owner.cookie) // warm-up
		const quiet = await fetchTimes(url, owner.cookie)
		const flooder = new Worker(FLOODER, {
			eval: true,
			workerData: { url: server.url, flood: FLOOD },
		})
		// Let the flood build up before timing under it.
		await new Promise((r) => setTimeout(r, 1000))
		const flooded = await fetchTimes(url, owner.cookie)
		flooder.postMessage('stop')
		const [{ statuses }] = (await once(flooder, 'message')) as [
			{ statuses: Record<string, number> },
		]
		await flooder.terminate()
		const ratio = p(flooded, 0.99) / p(quiet, 0.99)
		console.log(
			`  ${label.padEnd(34)} full PNG (${(png.length / 1024 / 1024).toFixed(1)} MiB) p99 ` +
				`${p(quiet, 0.99).toFixed(1)} ms quiet · ${p(flooded, 0.99).toFixed(1)} ms flooded ` +
				`(${ratio.toFixed(2)}×, goal ≤ 2×) · logins answered ${JSON.stringify(statuses)}`,
		)
	} finally {
		await server.close()
		tmp.remove()
	}
}

/**
 * Issue #12 item 2: a full-PNG fetch's p99 while 32 wrong-password logins are in flight, against
 * its p99 without them. Once with the login throttles as shipped (most of the flood answered 429
 * before any hashing) and once with them off, which leaves only the one-hash-at-a-time cap.
 */
export async function benchLoginFlood(): Promise<void> {
	console.log(`\nlogin flood: ${FLOOD} wrong-password logins in flight, ${SAMPLES} timed fetches`)
	await measure('throttles as shipped', {})
	await measure('throttles off (hashing cap alone)', {
		ARBOR_LOGIN_FAILURES_PER_ACCOUNT: '1000000000',
		ARBOR_LOGIN_FAILURES_PER_ADDRESS: '1000000000',
	})
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchLoginFlood()
