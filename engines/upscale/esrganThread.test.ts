import { afterAll, describe, expect, it } from 'vitest'
import { generate } from '../builtin/testBackend'
import { upscalePixels } from '../builtin/upscale'
import { isAbortError, UnrecoverableJobError } from '../errors'
import { type EsrganRunner, esrganUpscale } from './esrgan'
import { getEsrganModel } from './esrganModel'
import { EsrganThreadCrashedError, getEsrganThread, stopEsrganThread } from './esrganThread'
import { reviveError, serializeError } from './esrganThreadProtocol'

const signal = new AbortController().signal

/** A painted parent from the builtin painter: real content, not noise. */
async function parent(width: number, height: number) {
	const [image] = await generate({ prompt: 'neon city at night', seeds: [3], width, height })
	return { png: image.png, rgb: { width, height, rgb: image.raw.data } }
}

afterAll(stopEsrganThread)

describe('ESRGAN thread', () => {
	it('gives byte-identical upscales to the inline path (subtle 2×, creative 4×)', async () => {
		const { png } = await parent(64, 48)
		for (const [factor, mode] of [
			[2, 'subtle'],
			[4, 'creative'],
		] as const) {
			const run = (runner: EsrganRunner) =>
				upscalePixels({
					parentPng: png,
					width: 64 * factor,
					height: 48 * factor,
					factor,
					mode,
					seed: 5,
					signal,
					pause: async () => {},
					onProgress: () => {},
					tileSize: 24,
					runner,
				})
			const [thread, inline] = [await run('thread'), await run('inline')]
			expect(thread.length).toBe(64 * factor * 48 * factor * 3)
			expect(Buffer.from(thread).equals(Buffer.from(inline)), `${mode} ${factor}×`).toBe(true)
		}
	})

	it("keeps the caller's timers running while a tile computes (inline, they wait for the tile)", async () => {
		const { rgb } = await parent(144, 96)
		// Ticks of a 2 ms interval between consecutive tiles' progress: the time of one tile.
		const ticksPerTile = async (runner: EsrganRunner) => {
			await esrganUpscale({ width: 16, height: 16, rgb: rgb.rgb.slice(0, 768) }, 2, {
				signal,
				runner,
			}) // warm: thread started, model loaded
			let ticks = 0
			let last = -1
			const counts: number[] = []
			const timer = setInterval(() => ticks++, 2)
			try {
				await esrganUpscale(rgb, 2, {
					signal,
					runner,
					tileSize: 48,
					onProgress: () => {
						if (last >= 0) counts.push(ticks - last)
						last = ticks
					},
				})
			} finally {
				clearInterval(timer)
			}
			return counts.sort((a, b) => a - b)
		}
		const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]
		const thread = await ticksPerTile('thread')
		const inline = await ticksPerTile('inline')
		expect(thread).toHaveLength(5)
		expect(inline).toHaveLength(5)
		// Inline, a tile holds the loop: at most the one tick let through by the yield between tiles.
		expect(Math.max(...inline)).toBeLessThanOrEqual(2)
		// In the thread, a tile (~60 ms on an idle core, longer when loaded) lets many ticks through.
		expect(median(thread)).toBeGreaterThanOrEqual(4)
	})

	it('rethrows an error from the thread as the same class and message as inline', async () => {
		const bad = () => new Float32Array(10) // not 4 × 4 × 3 values
		const inline = await (async () => (await getEsrganModel(2)).predict(bad(), 4, 4))().catch(
			(err: unknown) => err,
		)
		const threaded = await getEsrganThread()
			.predict({ scale: 2, input: bad(), width: 4, height: 4, signal })
			.catch((err: unknown) => err)
		expect(inline).toBeInstanceOf(Error)
		expect(threaded).toBeInstanceOf(Error)
		expect(Object.getPrototypeOf(threaded)).toBe(Object.getPrototypeOf(inline))
		expect([(threaded as Error).name, (threaded as Error).message]).toEqual([
			(inline as Error).name,
			(inline as Error).message,
		])
		// The thread carries on after an error.
		const ok = await getEsrganThread().predict({
			scale: 2,
			input: new Float32Array(4 * 4 * 3),
			width: 4,
			height: 4,
			signal,
		})
		expect(ok).toHaveLength(8 * 8 * 3)
	})

	it('stops waiting as soon as it is aborted, before the thread has finished the tile', async () => {
		const { rgb } = await parent(160, 160)
		const thread = getEsrganThread()
		const controller = new AbortController()
		const events: string[] = []
		const late = new Promise<void>((resolve) =>
			thread.worker.once('message', () => {
				events.push('tile finished')
				resolve()
			}),
		)
		// One big tile (~0.5 s): aborted just after it was sent.
		const run = esrganUpscale(rgb, 2, {
			signal: controller.signal,
			runner: 'thread',
			tileSize: 160,
		})
		setTimeout(() => controller.abort(), 20)
		await expect(
			run.finally(() => events.push('rejected')),
			'rejects with the abort reason',
		).rejects.toSatisfy(isAbortError)
		await late
		expect(events).toEqual(['rejected', 'tile finished'])
		// The dropped result is not mistaken for the next request's.
		const next = await esrganUpscale(rgb, 2, { signal, runner: 'thread', tileSize: 80 })
		const inline = await esrganUpscale(rgb, 2, { signal, runner: 'inline', tileSize: 80 })
		expect(Buffer.from(next.rgb).equals(Buffer.from(inline.rgb))).toBe(true)
	})

	it('fails the upscale with EsrganThreadCrashedError when the thread dies; the next one starts a fresh thread', async () => {
		const { rgb } = await parent(64, 64)
		const crashed = getEsrganThread()
		const run = esrganUpscale(rgb, 2, {
			signal,
			runner: 'thread',
			tileSize: 16,
			onProgress: (f) => {
				// Killed from outside mid-job, as an out-of-memory kill or a wasm abort would.
				if (f === 1 / 16) void crashed.worker.terminate()
			},
		})
		await expect(run).rejects.toThrow(EsrganThreadCrashedError)
		await expect(run).rejects.toThrow(/exited unexpectedly/)
		expect(crashed.isAlive()).toBe(false)

		const fresh = getEsrganThread()
		expect(fresh).not.toBe(crashed)
		const again = await esrganUpscale(rgb, 2, { signal, runner: 'thread', tileSize: 32 })
		expect(again.rgb).toHaveLength(128 * 128 * 3)
		expect(fresh.worker.threadId).not.toBe(crashed.worker.threadId)
	})
})

describe('esrganThreadProtocol', () => {
	it.each([
		new UnrecoverableJobError('parent too large'),
		new TypeError('bad shape'),
		new RangeError('out of range'),
		Object.assign(new Error('wasm abort'), { name: 'RuntimeError' }),
	])('round-trips $name with its class, name and message', (err) => {
		const revived = reviveError(structuredClone(serializeError(err)))
		expect(Object.getPrototypeOf(revived)).toBe(Object.getPrototypeOf(err))
		expect([revived.name, revived.message, revived.stack]).toEqual([
			err.name,
			err.message,
			err.stack,
		])
	})
})
