import { pathToFileURL } from 'node:url'
import { deflateSync } from 'node:zlib'
import { createBuiltinBackend } from '../engines/builtin/builtinBackend'
import { type GenerateInput, toGenerateRequest } from '../engines/request'
import { GRID_SIZE } from '../shared/ops/catalogue'
import { outputDimensions } from '../shared/ops/geometry'
import { DRAFT_EDGE } from '../shared/ops/params'

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

async function measure(run: () => Promise<unknown>, runs = RUNS): Promise<Timing> {
	await run() // warm-up: JIT, sharp's first load, the upscaler's model
	const walls: number[] = []
	const cpus: number[] = []
	for (let i = 0; i < runs; i++) {
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

/** Runs of each upscale (10+ s each at 512² here); the median of two is the slower one. */
const UPSCALE_RUNS = 2

/**
 * Times the built-in generator for a DRAFT_EDGE² candidate, op by op: the grid ops (imagine,
 * vary, remix, zoom_out, pan: GRID_SIZE images each) and upscale (one image: subtle 2× and 4×,
 * creative 2×), median of RUNS (UPSCALE_RUNS for upscales), against a raw fill+deflate baseline
 * measured in the same run. DESIGN target: an imagine grid ≤ 1 s on one core.
 */
export async function benchGenerator(): Promise<void> {
	const backend = createBuiltinBackend()
	const signal = new AbortController().signal
	const base: GenerateInput = {
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
	const [parent] = await backend.generate(await toGenerateRequest({ ...base, seeds: [1] }), {
		signal,
		onProgress,
	})
	const vary: GenerateInput = {
		...base,
		op: 'vary',
		params: { strength: 'strong' },
		parentPng: parent.png,
	}

	const fromParent = (op: GenerateInput['op'], params: Record<string, unknown>) => {
		const size = outputDimensions(op, params, { width: DRAFT_EDGE, height: DRAFT_EDGE })
		return { ...base, op, params, parentPng: parent.png, ...size }
	}
	const upscale = (mode: string, factor: number) => ({
		...fromParent('upscale', { mode, factor }),
		seeds: [SEEDS[0]],
	})
	const ops: Array<[string, GenerateInput, number]> = [
		['imagine grid', base, RUNS],
		['vary grid (strong)', vary, RUNS],
		['remix grid', { ...fromParent('remix', {}), prompt: 'misty pine forest at dawn' }, RUNS],
		['zoom_out grid (2×)', fromParent('zoom_out', { factor: 2 }), RUNS],
		['pan grid (left, 768×512)', fromParent('pan', { direction: 'left' }), RUNS],
		['upscale subtle 2× (1 image)', upscale('subtle', 2), UPSCALE_RUNS],
		['upscale subtle 4× (1 image)', upscale('subtle', 4), UPSCALE_RUNS],
		['upscale creative 2× (1 image)', upscale('creative', 2), UPSCALE_RUNS],
	]

	const baseline = await measure(async () => rawFillAndEncode())
	const rows: Array<[string, Timing, number]> = [
		['raw fill + deflate (baseline)', baseline, GRID_SIZE],
	]
	for (const [name, input, runs] of ops) {
		const request = await toGenerateRequest(input)
		const timing = await measure(() => backend.generate(request, { signal, onProgress }), runs)
		rows.push([name, timing, request.seeds.length])
	}

	console.log(
		`builtin generator: ${DRAFT_EDGE}² candidates, median of ${RUNS} (upscale ${UPSCALE_RUNS})`,
	)
	for (const [name, t, images] of rows) {
		const perImage = t.wallMs / images
		const ratio = t === baseline ? '' : `  ×${(t.wallMs / baseline.wallMs).toFixed(1)} the baseline`
		console.log(
			`  ${name.padEnd(31)} wall ${fmt(t.wallMs).padStart(8)}  cpu ${fmt(t.cpuMs).padStart(8)}  ${fmt(perImage).padStart(8)}/image${ratio}`,
		)
	}
	const imagine = rows[1][1]
	const verdict = imagine.wallMs <= 1000 ? 'meets' : 'MISSES'
	console.log(`  imagine grid ${verdict} the DESIGN target of ≤ 1 s`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	await benchGenerator()
}
