import { monitorEventLoopDelay } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { createBuiltinBackend } from '../engines/builtin/builtinBackend'
import type { Engine } from '../engines/types'
import { type EsrganRunner, esrganUpscale } from '../engines/upscale/esrgan'
import { stopEsrganThread } from '../engines/upscale/esrganThread'
import {
	addMember,
	api,
	buildBoard,
	buildServer,
	buildUser,
	tempDir,
	waitForJob,
} from '../server/test/factories'
import { DRAFT_EDGE } from '../shared/ops/params'
import { ms, percentile } from './benchKit'

/** Upscales per runner, interleaved (inline, thread, inline, thread) so load drifts hit both. */
const ROUNDS = 2

interface Sample {
	/** Event-loop delay samples (each the gap between 1 ms timer turns, so ≥ 1 ms), in ms. */
	maxMs: number
	p99Ms: number
	/** A collaborator's `GET /api/boards/:id`, fired every 25 ms during the upscale. */
	httpMaxMs: number
	httpP99Ms: number
	/** How many of those GETs were answered during the job: inline, the loop lets few through. */
	gets: number
	jobMs: number
}

/**
 * What collaborators feel while a review session commits a pick: the embedded server's event
 * loop (perf_hooks.monitorEventLoopDelay) and a second user's HTTP round trips during a 512² →
 * 1024² subtle upscale, submitted through the API. Baseline, same run: the inline path (the
 * network on the server's thread, yielding between tiles), the backend's `upscaleRunner`.
 */
export async function benchUpscaleLoop(): Promise<void> {
	const tmp = tempDir('arbor-bench-')
	// One server; each round picks the runner of the backend its jobs go to.
	let current: EsrganRunner = 'thread'
	const backends = {
		inline: createBuiltinBackend({ upscaleRunner: 'inline' }),
		thread: createBuiltinBackend({ upscaleRunner: 'thread' }),
	}
	const backend: Engine = {
		...backends.thread,
		generate: (request, options) => backends[current].generate(request, options),
	}
	const server = await buildServer({ dataDir: tmp.dir, backend })
	try {
		const alice = await buildUser(server, 'Alice')
		const bob = await buildUser(server, 'Bob')
		const board = await buildBoard(server, alice)
		await addMember(server, alice, board.id, bob, 'editor')
		const grid = await api(server, alice.cookie).post(`/api/boards/${board.id}/jobs`, {
			op: 'imagine',
			prompt: 'harbour at dawn, fishing boats',
			params: { seed: 7 },
		})
		const parents = (await waitForJob(server, alice, board.id, grid.body.job.id)).images
		// Warm both paths before timing: tfjs and the weights on this thread, the worker thread.
		for (const runner of ['inline', 'thread'] as const) {
			const rgb = new Uint8Array(16 * 16 * 3).fill(128)
			await esrganUpscale({ width: 16, height: 16, rgb }, 2, {
				signal: new AbortController().signal,
				runner,
			})
		}

		const samples: Record<EsrganRunner, Sample[]> = { inline: [], thread: [] }
		let next = 0
		for (let round = 0; round < ROUNDS; round++) {
			for (const runner of ['inline', 'thread'] as const) {
				current = runner
				const parent = parents[next++ % parents.length]
				samples[runner].push(await measureUpscale(server, alice, bob, board.id, parent.id))
			}
		}

		// The network alone, no server traffic: what the thread costs in throughput.
		const modelMs: Record<EsrganRunner, number> = { inline: 0, thread: 0 }
		const alone = new Uint8Array(256 * 256 * 3).map((_, i) => (i * 37) % 251)
		for (const runner of ['inline', 'thread'] as const) {
			const t0 = performance.now()
			await esrganUpscale({ width: 256, height: 256, rgb: alone }, 2, {
				signal: new AbortController().signal,
				runner,
			})
			modelMs[runner] = performance.now() - t0
		}

		const worst = (runner: EsrganRunner, key: keyof Sample) =>
			Math.max(...samples[runner].map((s) => s[key]))
		const median = (runner: EsrganRunner, key: keyof Sample) =>
			percentile(
				samples[runner].map((s) => s[key]),
				50,
			)
		console.log(
			`\nupscale vs the server's event loop: embedded, ${DRAFT_EDGE}² → ${DRAFT_EDGE * 2}² subtle, ${ROUNDS} runs each (worst of runs)`,
		)
		for (const runner of ['inline', 'thread'] as const) {
			console.log(
				`  ${runner.padEnd(6)}  loop delay max ${ms(worst(runner, 'maxMs')).padStart(9)}  p99 ${ms(worst(runner, 'p99Ms')).padStart(9)}   collaborator GET max ${ms(worst(runner, 'httpMaxMs')).padStart(9)}  p99 ${ms(worst(runner, 'httpP99Ms')).padStart(9)}   job ${ms(median(runner, 'jobMs'))} (${median(runner, 'gets')} GETs answered)`,
			)
		}
		const ratio = (key: keyof Sample) =>
			`${(worst('inline', key) / Math.max(worst('thread', key), 0.01)).toFixed(1)}×`
		console.log(
			`  inline/thread: loop max ${ratio('maxMs')}, loop p99 ${ratio('p99Ms')}, GET max ${ratio('httpMaxMs')}, GET p99 ${ratio('httpP99Ms')}; job time thread/inline ${(median('thread', 'jobMs') / median('inline', 'jobMs')).toFixed(2)}×`,
		)
		console.log(
			`  network alone, 256² → 512² with no traffic: inline ${ms(modelMs.inline)}, thread ${ms(modelMs.thread)} (thread/inline ${(modelMs.thread / modelMs.inline).toFixed(2)}×)`,
		)
	} finally {
		await server.close()
		await stopEsrganThread()
		tmp.remove()
	}
}

async function measureUpscale(
	server: Awaited<ReturnType<typeof buildServer>>,
	alice: Awaited<ReturnType<typeof buildUser>>,
	bob: Awaited<ReturnType<typeof buildUser>>,
	boardId: string,
	parentImageId: string,
): Promise<Sample> {
	// 1 ms resolution: a sample is the gap between timer turns, so an idle loop reads ~1 ms.
	const loop = monitorEventLoopDelay({ resolution: 1 })
	const http: number[] = []
	let running = true
	const collaborator = (async () => {
		while (running) {
			const t0 = performance.now()
			await api(server, bob.cookie).get(`/api/boards/${boardId}`)
			http.push(performance.now() - t0)
			await new Promise((resolve) => setTimeout(resolve, 25))
		}
	})()
	loop.enable()
	const t0 = performance.now()
	const res = await api(server, alice.cookie).post(`/api/boards/${boardId}/jobs`, {
		op: 'upscale',
		parentImageId,
		params: { mode: 'subtle', factor: 2 },
	})
	if (res.status !== 202) throw new Error(`upscale was refused: ${JSON.stringify(res.body)}`)
	await waitForJob(server, alice, boardId, res.body.job.id, 'done', 180_000)
	const jobMs = performance.now() - t0
	loop.disable()
	running = false
	await collaborator
	return {
		maxMs: loop.max / 1e6,
		p99Ms: loop.percentile(99) / 1e6,
		httpMaxMs: Math.max(...http),
		httpP99Ms: percentile(http, 99),
		gets: http.length,
		jobMs,
	}
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchUpscaleLoop()
