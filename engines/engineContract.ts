import sharp from 'sharp'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EngineCapabilitiesSchema, EngineRecordSchema } from '../shared/engines'
import type { OpName } from '../shared/ops/catalogue'
import { EngineUnavailableError, isUnrecoverable } from './errors'
import { runJob } from './runJob'
import type { Engine, PreviewImage } from './types'

// The contract every engine passes (builtin, ComfyUI; A1111 and OpenAI-style add themselves):
// each op it declares, previews when it says so, cancel reaching the engine mid-run, the
// deadline, each error class, and a record per image with the engine's own values. Run through
// the real job runner, so the typed request and output checks are exercised too.

export type EngineFault = 'refused' | 'out_of_memory' | 'unavailable' | 'hang'

export interface EngineUnderTest {
	engine: Engine
	/** Makes the next run fail this way (engines that can fail only). */
	fault?(fault: EngineFault): void
	/** Runs the engine itself was told to stop (its own cancel API); absent if it has none. */
	cancelled?(): number
	close(): Promise<void>
}

export interface EngineContractOptions {
	/** A fresh engine; `slow` makes each run take a few seconds so it can be caught mid-run. */
	setup(options: { slow: boolean }): Promise<EngineUnderTest>
	/** Faults the engine can be made to show (the builtin has none). */
	faults: EngineFault[]
	/** The record's `engine` name. */
	engineName: string
}

const EDGE = 64

/** What each op's payload adds to the base, at tiny sizes so every engine runs them fast. */
const OP_PAYLOADS: Record<OpName, Record<string, unknown>> = {
	imagine: { params: { aspectRatio: '1:1', chaos: 0, stylize: 100 }, parentImageId: null },
	reroll: { params: { aspectRatio: '1:1' }, parentImageId: null },
	vary: { params: { strength: 'strong' } },
	remix: { params: {}, sourcePrompt: 'the old prompt' },
	zoom_out: { params: { factor: 2 } },
	pan: { params: { direction: 'left' }, width: EDGE + 32 },
	upscale: { params: { mode: 'subtle', factor: 2 }, seeds: [7], width: EDGE * 2, height: EDGE * 2 },
}

export function engineContract(name: string, options: EngineContractOptions): void {
	describe(`engine contract: ${name}`, () => {
		let parent: Uint8Array
		let current: EngineUnderTest | null = null
		beforeAll(async () => {
			parent = new Uint8Array(
				await sharp({ create: { width: EDGE, height: EDGE, channels: 3, background: '#4a7' } })
					.png()
					.toBuffer(),
			)
		})
		afterEach(async () => {
			await current?.close()
			current = null
		})
		const start = async (slow = false) => {
			current = await options.setup({ slow })
			return current
		}
		const payload = (op: OpName) => ({
			jobId: 'job_contract',
			boardId: 'brd_contract',
			op,
			opVersion: 1,
			prompt: 'a lighthouse in fog',
			negativePrompt: null,
			seeds: [11, 12, 13, 14],
			width: EDGE,
			height: EDGE,
			parentImageId: 'img_parent',
			...OP_PAYLOADS[op],
		})
		const run = (
			under: EngineUnderTest,
			op: OpName,
			extra: { signal?: AbortSignal; timeoutMs?: number; onProgress?: (f: number) => void } = {},
		) => {
			const previews: PreviewImage[] = []
			const images = runJob(payload(op), {
				engine: under.engine,
				io: { getImagePng: async () => parent },
				signal: extra.signal ?? new AbortController().signal,
				onProgress: extra.onProgress ?? (() => {}),
				onPreview: (p) => previews.push(p),
				timeoutMs: extra.timeoutMs,
			})
			return { images, previews }
		}

		it('declares valid capabilities and lists its models', async () => {
			const { engine } = await start()
			expect(EngineCapabilitiesSchema.safeParse(engine.capabilities).success).toBe(true)
			const models = await engine.models()
			expect(models.length).toBeGreaterThan(0)
		})

		it('runs every op it declares: one image per seed, the exact size, its own record', async () => {
			const under = await start()
			for (const op of under.engine.capabilities.ops) {
				const asked = payload(op)
				const images = await run(under, op).images
				expect(images, op).toHaveLength(asked.seeds.length)
				for (const image of images) {
					const meta = await sharp(image.png).metadata()
					expect([meta.format, meta.width, meta.height], op).toEqual([
						'png',
						asked.width,
						asked.height,
					])
					const record = EngineRecordSchema.parse(image.record)
					expect(record.engine).toBe(options.engineName)
					if (under.engine.capabilities.seeds && op !== 'upscale')
						expect(record.seed, op).not.toBeNull()
				}
			}
		}, 120_000)

		it('sends previews while it works, when it declares them', async () => {
			const under = await start()
			const { images, previews } = run(under, 'imagine')
			await images
			if (!under.engine.capabilities.previews) return
			expect(previews.length).toBeGreaterThan(0)
			const meta = await sharp(previews[0].bytes).metadata()
			expect(['jpeg', 'png', 'webp']).toContain(meta.format)
		})

		it('stops when the job is cancelled mid-run, and tells the engine', async () => {
			const under = await start(true)
			const controller = new AbortController()
			const { images } = run(under, 'imagine', {
				signal: controller.signal,
				onProgress: (f) => {
					if (f > 0) controller.abort(new Error('cancelled'))
				},
			})
			await expect(images).rejects.toThrow('cancelled')
			if (under.cancelled) await waitUntil(() => under.cancelled!() > 0)
		})

		it('gives up on an engine past its deadline with a retryable timeout, freeing the slot', async () => {
			const under = await start(true)
			if (options.faults.includes('hang')) under.fault?.('hang')
			const err = await run(under, 'imagine', { timeoutMs: 300 }).images.catch((e: unknown) => e)
			expect(err).toBeInstanceOf(EngineUnavailableError)
			expect(err).toMatchObject({ kind: 'timeout' })
			if (under.cancelled) await waitUntil(() => under.cancelled!() > 0)
		})

		it.each([
			['refused', true],
			['out_of_memory', false],
			['unavailable', false],
		] as const)('classifies %s (unrecoverable: %s)', async (fault, unrecoverable) => {
			if (!options.faults.includes(fault)) return
			const under = await start()
			under.fault?.(fault)
			const err = await run(under, 'imagine').images.catch((e: unknown) => e)
			expect(err).toBeInstanceOf(Error)
			expect(isUnrecoverable(err)).toBe(unrecoverable)
			if (fault === 'out_of_memory') expect(err).toMatchObject({ kind: 'out_of_memory' })
		})
	})
}

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs
	while (!check()) {
		if (Date.now() > deadline) throw new Error('the engine was never told to stop')
		await new Promise((r) => setTimeout(r, 20))
	}
}
