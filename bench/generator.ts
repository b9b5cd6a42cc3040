import { pathToFileURL } from 'node:url'
import { deflateSync } from 'node:zlib'
import { GRID_SIZE } from '../shared/ops/catalogue'
import { DRAFT_EDGE } from '../shared/ops/params'
import { createBuiltinBackend } from '../worker/backends/builtin/builtinBackend'
import type { GenerateRequest } from '../worker/backends/types'

const RUNS = 5
const SEEDS = [101, 202, 303, 404].slice(0, GRID_SIZE)

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b)
	return sorted[Math.floor(sorted.length / 2)]
}

interface Timing {
	wallMs: number
	/** Process CPU time (all threads: zlib runs on the libuv pool). */
	cpuMs: number
}

async function measure(run: () => Promise<unknown>): Promise<Timing> {
	await run() // warm-up: JIT, sharp's first load
	const walls: number[] = []
	const cpus: number[] = []
	for (let i = 0; i < RUNS; i++) {
		const cpu0 = process.cpuUsage()
		const t0 = performance.now()
		await run()
		walls.push(performance.now() - t0)
		const cpu = process.cpuUsage(cpu0)
		cpus.push((cpu.user + cpu.system) / 1000)
	}
	return { wallMs: median(walls), cpuMs: median(cpus) }
}

/**
 * The floor no painter can beat: fill GRID_SIZE draft-sized RGB buffers with a gradient and
 * deflate them (PNG-style filter byte per row, same zlib level), synchronously on this thread.
 */
function rawFillAndEncode(): void {
	const w = DRAFT_EDGE
	const h = DRAFT_EDGE
	for (let n = 0; n < GRID_SIZE; n++) {
		const buf = new Uint8Array((w * 3 + 1) * h)
		for (let y = 0; y < h; y++) {
			const o = y * (w * 3 + 1)
			buf[o] = 1
			for (let x = 0; x < w; x++) {
				buf[o + 1 + x * 3] = (x + n) & 255
				buf[o + 2 + x * 3] = y & 255
				buf[o + 3 + x * 3] = (x ^ y) & 255
			}
		}
		deflateSync(buf, { level: 6 })
	}
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`

/**
 * Times the built-in generator on draft grids (GRID_SIZE × DRAFT_EDGE²): one imagine grid and one
 * vary grid, median of RUNS, against a raw fill+deflate baseline measured in the same run.
 * DESIGN target: an imagine grid ≤ 1 s on one core.
 */
export async function benchGenerator(): Promise<void> {
	const backend = createBuiltinBackend()
	const signal = new AbortController().signal
	const base: GenerateRequest = {
		op: 'imagine',
		prompt: 'sunset over the ocean, mountains, clouds',
		negativePrompt: null,
		params: { chaos: 20, stylize: 100 },
		seeds: SEEDS,
		width: DRAFT_EDGE,
		height: DRAFT_EDGE,
		parentPng: null,
	}
	const onProgress = () => {}
	const [parent] = await backend.generate({ ...base, seeds: [1] }, { signal, onProgress })
	const vary: GenerateRequest = {
		...base,
		op: 'vary',
		params: { strength: 'strong' },
		parentPng: parent.png,
	}

	const baseline = await measure(async () => rawFillAndEncode())
	const imagine = await measure(() => backend.generate(base, { signal, onProgress }))
	const varied = await measure(() => backend.generate(vary, { signal, onProgress }))

	const rows = [
		['raw fill + deflate (baseline)', baseline],
		['imagine grid', imagine],
		['vary grid (strong)', varied],
	] as const
	console.log(`builtin generator: ${GRID_SIZE} × ${DRAFT_EDGE}², median of ${RUNS}`)
	for (const [name, t] of rows) {
		const perSecond = (GRID_SIZE / t.wallMs) * 1000
		const ratio =
			t === baseline
				? ''
				: `  painter overhead ×${(t.wallMs / baseline.wallMs).toFixed(1)} over raw fill+encode`
		console.log(
			`  ${name.padEnd(30)} wall ${fmt(t.wallMs).padStart(7)}  cpu ${fmt(t.cpuMs).padStart(7)}  ${perSecond.toFixed(1)} images/s${ratio}`,
		)
	}
	const verdict = imagine.wallMs <= 1000 ? 'meets' : 'MISSES'
	console.log(`  imagine grid ${verdict} the DESIGN target of ≤ 1 s`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchGenerator()
}
