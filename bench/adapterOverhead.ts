import { pathToFileURL } from 'node:url'
import { createComfyEngine } from '../engines/comfyui/comfyEngine'
import { type FakeComfyUI, startFakeComfyUI } from '../engines/comfyui/testing/fakeComfyUI'
import type { Engine } from '../engines/types'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	connectBoard,
	tempDir,
	waitFor,
} from '../server/test/factories'
import {
	buildQueueServer,
	dropPrefix,
	REDIS_URL,
	startTestWorker,
	uniquePrefix,
} from '../server/test/queueMode'
import { jobShapeIds } from '../shared/records'
import {
	BENCH_LIMITS,
	ms,
	percentile,
	pregeneratedGrids,
	redisReachable,
	sleepingBackend,
	whenNodeDone,
} from './benchKit'

// Engine adapters: Arbor's time around a real adapter (ComfyUI's, over HTTP + websocket) driving
// an engine that takes S ms — the fake ComfyUI sampling `steps` × `stepMs`. The engine's own time
// is what the fake measures from execution_start to execution_success (its sampling and its PNGs);
// everything else between `POST …/jobs` and the finished grid on a second client is Arbor's:
// API, queue, the adapter's /prompt, websocket progress and previews, /history, /view, fitting,
// storage, thumbnails, the doc write and fan-out. Target (DESIGN.md): ≤ 5 % of S or ≤ 150 ms.
// Baseline in the same run: the same path around an in-process engine that sleeps S and returns
// ready PNGs (no adapter); the difference is the adapter's own share.

/** Runs not counted: JIT, first connections, first thumbnails. */
const WARM_UP = 2
const SIZES = [
	{ steps: 20, stepMs: 50, runs: 10 }, // S ≈ 1 s
	{ steps: 25, stepMs: 200, runs: 4 }, // S ≈ 5 s
]

interface Mode {
	name: 'embedded' | 'queue'
	start(engine: Engine): Promise<{
		server: Awaited<ReturnType<typeof buildServer>>
		close(): Promise<void>
	}>
}

const embedded: Mode = {
	name: 'embedded',
	async start(engine) {
		const tmp = tempDir('arbor-bench-')
		const server = await buildServer({ dataDir: tmp.dir, backend: engine, env: BENCH_LIMITS })
		return {
			server,
			async close() {
				await server.close()
				tmp.remove()
			},
		}
	},
}

const queueMode: Mode = {
	name: 'queue',
	async start(engine) {
		const tmp = tempDir('arbor-bench-')
		const prefix = uniquePrefix()
		const server = await buildQueueServer({ dataDir: tmp.dir, prefix, env: BENCH_LIMITS })
		const worker = await startTestWorker(server, { prefix, backend: engine })
		return {
			server,
			async close() {
				await worker.close({ graceMs: 0 })
				await server.close()
				await dropPrefix(prefix)
				tmp.remove()
			},
		}
	},
}

/** The engine under a mode: the ComfyUI adapter and its fake, or the sleeping baseline. */
interface Subject {
	engine: Engine
	/** The engine's own time for the latest job. */
	lastMs(): number
	close(): Promise<void>
}

async function comfySubject(steps: number, stepMs: number): Promise<Subject> {
	// History follows success at once, as a real ComfyUI's does (the fake's lag is for the race test).
	const fake: FakeComfyUI = await startFakeComfyUI({ steps, stepMs, historyLagMs: 0 })
	const engine = createComfyEngine({ url: fake.url })
	return {
		engine,
		lastMs() {
			// One ComfyUI prompt per grid (a batch of four).
			const run = fake.executions.at(-1)!
			return run.finishedAt - run.startedAt
		},
		async close() {
			await engine.close?.()
			await fake.close()
		},
	}
}

async function sleepingSubject(sleepMs: number, runs: number): Promise<Subject> {
	const engine = sleepingBackend(sleepMs, await pregeneratedGrids(runs + WARM_UP))
	return { engine, lastMs: () => engine.modelMs.at(-1)!, close: async () => {} }
}

/** A board with two users on a server in `mode` running `subject`'s engine. */
async function prepare(mode: Mode, label: string, subject: Subject) {
	const { server, close } = await mode.start(subject.engine)
	const alice = await buildUser(server, 'Alice')
	const bob = await buildUser(server, 'Bob')
	const board = await buildBoard(server, alice)
	await addMember(server, alice, board.id, bob, 'editor')
	const watcher = connectBoard(server, board.id, bob)
	await waitFor('synced', () => watcher.provider.synced)
	const total: number[] = []
	const engineMs: number[] = []
	let n = 0
	return {
		label: `${label} ${mode.name}`,
		total,
		engineMs,
		async once() {
			const i = n++
			const t0 = performance.now()
			const res = await api(server, alice.cookie).post(`/api/boards/${board.id}/jobs`, {
				op: 'imagine',
				prompt: `greenhouse at dawn, study ${i}`,
			})
			if (res.status !== 202) throw new Error(`job refused: ${JSON.stringify(res.body)}`)
			const t1 = await whenNodeDone(watcher, jobShapeIds(res.body.job.id).node)
			if (i < WARM_UP) return
			total.push(t1 - t0)
			engineMs.push(subject.lastMs())
		},
		async close() {
			watcher.destroy()
			await close()
			await subject.close()
		},
	}
}

/** `npm run bench`, engine adapters: Arbor's time around the ComfyUI adapter, both modes. */
export async function benchAdapterOverhead(): Promise<void> {
	const haveRedis = await redisReachable()
	console.log(
		'\nengine adapter overhead: POST …/jobs → grid on a second client, around the ComfyUI adapter',
	)
	console.log(
		'  engine: fake ComfyUI (HTTP + websocket), a batch of 4 × 512², previews every 2 steps',
	)
	console.log('  target (DESIGN.md): Arbor’s time ≤ 150 ms, or ≤ 5 % of the engine’s time S')
	if (!haveRedis) console.log(`  queue mode skipped: no Redis at ${REDIS_URL}`)
	for (const { steps, stepMs, runs } of SIZES) {
		const variants = []
		for (const mode of haveRedis ? [embedded, queueMode] : [embedded]) {
			variants.push(await prepare(mode, 'ComfyUI adapter', await comfySubject(steps, stepMs)))
			variants.push(
				await prepare(mode, 'sleep baseline ', await sleepingSubject(steps * stepMs, runs)),
			)
		}
		// Alternate the modes run by run, so a busy moment on a shared machine lands on both.
		for (let i = 0; i < runs + WARM_UP; i++) for (const variant of variants) await variant.once()
		for (const { label, total, engineMs, close } of variants) {
			await close()
			const outside = total.map((t, k) => t - engineMs[k])
			const p50 = percentile(outside, 50)
			const s = percentile(engineMs, 50)
			const share = (p50 / s) * 100
			const verdict = p50 <= 150 || share <= 5 ? 'meets target' : 'MISSES target'
			console.log(
				`  S ≈ ${ms(s).padStart(9)}  ${label.padEnd(24)}  total p50 ${ms(percentile(total, 50))}  Arbor p50 ${ms(p50)}  p90 ${ms(percentile(outside, 90))}  (${share.toFixed(1)} % of S)  ${verdict}`,
			)
		}
	}
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchAdapterOverhead()
	process.exit(0)
}
