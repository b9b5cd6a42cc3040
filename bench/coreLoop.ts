import { pathToFileURL } from 'node:url'
import { createBuiltinBackend } from '../engines/builtin/builtinBackend'
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
import { DRAFT_EDGE } from '../shared/ops/params'
import { jobShapeIds } from '../shared/records'
import type { GenerationShape } from '../shared/shapes/generationShape'

const RUNS = 8

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b)
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]
}

/**
 * The loop as a collaborator sees it: `POST …/jobs` by one user → the finished grid of four in a
 * second user's Y.Doc. Baseline, measured in the same run: the generator alone on the same input.
 * The difference is Arbor's own time (API, queue, storage, thumbnails, doc write, fan-out).
 */
export async function benchCoreLoop(): Promise<void> {
	const tmp = tempDir('arbor-bench-')
	const backend = createBuiltinBackend()
	const server = await buildServer({ dataDir: tmp.dir, backend })
	try {
		const alice = await buildUser(server, 'Alice')
		const bob = await buildUser(server, 'Bob')
		const board = await buildBoard(server, alice)
		await addMember(server, alice, board.id, bob, 'editor')
		const watcher = connectBoard(server, board.id, bob)
		await waitFor('synced', () => watcher.provider.synced)

		const signal = new AbortController().signal
		const loop: number[] = []
		const model: number[] = []
		for (let i = 0; i < RUNS + 1; i++) {
			const prompt = `harbour at dawn, study ${i}`
			const t0 = performance.now()
			const res = await api(server, alice.cookie).post(`/api/boards/${board.id}/jobs`, {
				op: 'imagine',
				prompt,
				params: { seed: 1000 + i },
			})
			const id = jobShapeIds(res.body.job.id).node
			await waitFor(
				'grid on the second client',
				() => (watcher.get(id) as GenerationShape | undefined)?.props.status === 'done',
				60_000,
			)
			const loopMs = performance.now() - t0
			const m0 = performance.now()
			await backend.generate(
				{
					op: 'imagine',
					prompt,
					negativePrompt: null,
					params: { aspectRatio: '1:1', chaos: 0, stylize: 100 },
					seeds: [1000 + i, 1001 + i, 1002 + i, 1003 + i],
					width: DRAFT_EDGE,
					height: DRAFT_EDGE,
					model: null,
				},
				{ signal, onProgress: () => {} },
			)
			const modelMs = performance.now() - m0
			if (i === 0) continue // warm-up
			loop.push(loopMs)
			model.push(modelMs)
		}
		watcher.destroy()
		const overhead = loop.map((l, i) => l - model[i])
		const p50 = (v: number[]) => percentile(v, 50).toFixed(0)
		console.log(
			`\ncore loop: prompt → grid of four on a second client (${RUNS} runs, 4 × ${DRAFT_EDGE}²)`,
		)
		console.log(
			`  API → second client   p50 ${p50(loop)} ms   p90 ${percentile(loop, 90).toFixed(0)} ms`,
		)
		console.log(`  generator alone       p50 ${p50(model)} ms  (baseline, same run)`)
		console.log(
			`  time outside model    p50 ${p50(overhead)} ms   ratio loop/model ${(percentile(loop, 50) / percentile(model, 50)).toFixed(2)}×`,
		)
	} finally {
		await server.close()
		tmp.remove()
	}
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchCoreLoop()
