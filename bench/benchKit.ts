import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import sharp from 'sharp'
import { createBuiltinBackend } from '../engines/builtin/builtinBackend'
import { fakeEngineParts, fakeRecord } from '../engines/testing/fakeEngine'
import type { Engine } from '../engines/types'
import type { connectBoard } from '../server/test/factories'
import { REDIS_URL } from '../server/test/queueMode'
import { DRAFT_EDGE } from '../shared/ops/params'
import type { GenerationShape } from '../shared/shapes/generationShape'

// Shared pieces of the queue benchmarks.

export const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b)
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]
}

export const ms = (n: number) => `${n.toFixed(1)} ms`

/**
 * `count` sets of four real 512² candidates (the builtin's pixels, one pixel changed per set so
 * each set is new content to store and thumbnail), encoded before any timing starts.
 */
export async function pregeneratedGrids(count: number): Promise<Uint8Array[][]> {
	const builtin = createBuiltinBackend()
	const grid = await builtin.generate(
		{
			op: 'imagine',
			prompt: 'harbour at dawn, fishing boats',
			negativePrompt: null,
			params: { aspectRatio: '1:1', chaos: 0, stylize: 100 },
			seeds: [1, 2, 3, 4],
			width: DRAFT_EDGE,
			height: DRAFT_EDGE,
			model: null,
		},
		{ signal: new AbortController().signal, onProgress: () => {} },
	)
	const raws = await Promise.all(
		grid.map((image) => sharp(image.png).removeAlpha().raw().toBuffer({ resolveWithObject: true })),
	)
	const sets: Uint8Array[][] = []
	for (let i = 0; i < count; i++) {
		sets.push(
			await Promise.all(
				raws.map(async ({ data, info }) => {
					const pixels = Buffer.from(data)
					pixels[0] = i % 256
					pixels[1] = Math.floor(i / 256) % 256
					const png = await sharp(pixels, {
						raw: { width: info.width, height: info.height, channels: 3 },
					})
						.png()
						.toBuffer()
					return new Uint8Array(png)
				}),
			),
		)
	}
	return sets
}

export interface SleepingBackend extends Engine {
	/** When each generate call began (performance.now()). */
	startedAt: number[]
	/** How long each call took (the model time). */
	modelMs: number[]
}

/** A backend that takes exactly `sleepMs` and returns pregenerated candidates. */
export function sleepingBackend(sleepMs: number, grids: Uint8Array[][]): SleepingBackend {
	let next = 0
	const startedAt: number[] = []
	const modelMs: number[] = []
	const info = { backend: 'bench', model: `sleep-${sleepMs}`, version: '1' }
	return {
		info,
		...fakeEngineParts(info),
		startedAt,
		modelMs,
		async generate(request, { signal }) {
			const t0 = performance.now()
			startedAt.push(t0)
			if (sleepMs > 0) await sleep(sleepMs, undefined, { signal })
			const pngs = grids[next++ % grids.length]
			modelMs.push(performance.now() - t0)
			return request.seeds.map((seed, index) => ({
				index,
				seed,
				width: request.width,
				height: request.height,
				png: pngs[index],
				record: fakeRecord(info, seed),
			}))
		},
	}
}

/** Resolves (with performance.now()) as soon as the client's doc shows the job's node done. */
export function whenNodeDone(
	client: ReturnType<typeof connectBoard>,
	nodeId: string,
): Promise<number> {
	return new Promise((resolve) => {
		const check = () => {
			const node = client.get(nodeId) as GenerationShape | undefined
			if (node?.props.status !== 'done') return false
			client.doc.off('afterTransaction', check)
			resolve(performance.now())
			return true
		}
		if (!check()) client.doc.on('afterTransaction', check)
	})
}

/** Lifts per-user limits so a benchmark can submit back to back. */
export const BENCH_LIMITS = {
	ARBOR_MAX_QUEUED_PER_USER: '10000',
	ARBOR_RATE_LIMIT_PER_MINUTE: '100000',
	ARBOR_MONTHLY_CREDITS: '1000000',
}

/** Whether a real Redis answers at REDIS_URL: queue-mode figures need one and are skipped without. */
export async function redisReachable(): Promise<boolean> {
	const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 0, retryStrategy: () => null })
	redis.on('error', () => {}) // the answer is the ping below
	try {
		return (await redis.ping()) === 'PONG'
	} catch {
		return false
	} finally {
		redis.disconnect()
	}
}
