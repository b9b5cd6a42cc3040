import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import type { GeneratedImage } from '../shared/jobPayload'
import { outpaintGeometry } from '../shared/ops/geometry'
import { EngineUnavailableError } from './errors'
import { type JobIO, runJob } from './runJob'
import { fakeEngineParts, fakeRecord } from './testing/fakeEngine'
import type { Engine, GenerateRequest } from './types'

let PARENT_PNG: Uint8Array
beforeAll(async () => {
	PARENT_PNG = new Uint8Array(
		await sharp({ create: { width: 512, height: 384, channels: 3, background: '#446688' } })
			.png()
			.toBuffer(),
	)
})

const INFO = { backend: 'test', model: 'm', version: '1' }

/** Records what it was asked and answers with blank images of the requested size. */
function recordingBackend(size?: { width: number; height: number }) {
	const requests: GenerateRequest[] = []
	const backend: Engine = {
		info: INFO,
		...fakeEngineParts(INFO),
		async generate(request) {
			requests.push(request)
			return request.seeds.map(
				(seed, index): GeneratedImage => ({
					index,
					seed,
					width: size?.width ?? request.width,
					height: size?.height ?? request.height,
					png: new Uint8Array(0),
					record: fakeRecord(INFO, seed),
				}),
			)
		},
	}
	return { backend, requests }
}

function recordingIO() {
	const loaded: string[] = []
	const io: JobIO = {
		async getImagePng(id) {
			loaded.push(id)
			return PARENT_PNG
		},
	}
	return { io, loaded }
}

const base = {
	jobId: 'job_abcdef',
	boardId: 'brd_abcdef',
	opVersion: 1,
	prompt: 'a prompt',
	negativePrompt: null,
	seeds: [1, 2, 3, 4],
	width: 512,
	height: 512,
	parentImageId: 'img_parent',
}

async function run(payload: Record<string, unknown>, size?: { width: number; height: number }) {
	const { backend, requests } = recordingBackend(size)
	const { io, loaded } = recordingIO()
	const signal = new AbortController().signal
	const images = await runJob(payload, { engine: backend, io, signal, onProgress: () => {} })
	return { images, request: requests[0], loaded }
}

describe('runJob', () => {
	it.each([
		['reroll', { params: { aspectRatio: '1:1', chaos: 10 }, parentImageId: null }, false],
		['remix', { params: {}, sourcePrompt: 'the old prompt' }, true],
		['zoom_out', { params: { factor: 1.5 } }, true],
		['pan', { params: { direction: 'up' }, height: 768 }, true],
		[
			'upscale',
			{ params: { mode: 'subtle', factor: 2 }, seeds: [9], width: 1024, height: 1024 },
			true,
		],
	] as const)(
		'runs %s, loading the parent only when the op takes one',
		async (op, extra, parent) => {
			const { images, request, loaded } = await run({ ...base, op, ...extra })
			expect(loaded).toEqual(parent ? ['img_parent'] : [])
			expect('parent' in request ? request.parent : null).toEqual(
				parent ? { png: PARENT_PNG, width: 512, height: 384 } : null,
			)
			expect(request.op).toBe(op)
			expect(images).toHaveLength(request.seeds.length)
		},
	)

	it('passes the source prompt through for remix', async () => {
		const { request } = await run({ ...base, op: 'remix', params: {}, sourcePrompt: 'old' })
		expect(request.op === 'remix' && request.sourcePrompt).toBe('old')
	})

	it('gives zoom_out and pan the padding and mask computed once in shared geometry', async () => {
		const size = { width: 640, height: 384 }
		const { request } = await run({ ...base, op: 'pan', params: { direction: 'left' }, ...size })
		const expected = outpaintGeometry(
			'pan',
			{ direction: 'left' },
			{ width: 512, height: 384 },
			size,
		)
		expect(request.op === 'pan' && request.outpaint).toEqual(expected)
		expect(expected.padding).toEqual({ left: 128, top: 0, right: 0, bottom: 0 })
	})

	it('carries the requested model and a typed imagine request', async () => {
		const { request } = await run({
			...base,
			op: 'imagine',
			parentImageId: null,
			model: 'sdxl.safetensors',
			params: { aspectRatio: '1:1', chaos: 30, negativePrompt: 'fog' },
		})
		expect(request).toMatchObject({
			model: 'sdxl.safetensors',
			negativePrompt: 'fog',
			params: { aspectRatio: '1:1', chaos: 30, stylize: 100 },
		})
	})

	it('times out an engine that never answers, freeing the slot with a retryable error', async () => {
		let sawAbort = false
		const hung: Engine = {
			info: INFO,
			...fakeEngineParts(INFO),
			generate: (_request, { signal }) => {
				signal.addEventListener('abort', () => {
					sawAbort = true
				})
				// Never settles, even when aborted: the hung socket case.
				return new Promise<GeneratedImage[]>(() => {})
			},
		}
		const run = runJob(
			{ ...base, op: 'imagine', params: {}, parentImageId: null },
			{
				engine: hung,
				io: recordingIO().io,
				signal: new AbortController().signal,
				onProgress() {},
				timeoutMs: 50,
			},
		)
		const err = await run.catch((e: unknown) => e)
		expect(err).toBeInstanceOf(EngineUnavailableError)
		expect(err).toMatchObject({ kind: 'timeout' })
		expect(sawAbort).toBe(true)
	})

	it('returns at once when the job is cancelled, even if the engine ignores it', async () => {
		const controller = new AbortController()
		const hung: Engine = {
			info: INFO,
			...fakeEngineParts(INFO),
			generate: () => new Promise<GeneratedImage[]>(() => {}),
		}
		const run = runJob(
			{ ...base, op: 'imagine', params: {}, parentImageId: null },
			{ engine: hung, io: recordingIO().io, signal: controller.signal, onProgress() {} },
		)
		controller.abort(new Error('cancelled'))
		await expect(run).rejects.toThrow('cancelled')
	})

	it.each([
		[
			'a parent op without a parent',
			{ op: 'zoom_out', params: { factor: 2 }, parentImageId: null },
		],
		['upscale with four seeds', { op: 'upscale', params: { mode: 'subtle', factor: 2 } }],
		['bad pan params', { op: 'pan', params: { direction: 'north' } }],
		['bad upscale params', { op: 'upscale', params: { mode: 'wild', factor: 2 }, seeds: [1] }],
		['an unknown op', { op: 'inpaint', params: {} }],
	])('fails as unrecoverable on %s', async (_, extra) => {
		await expect(run({ ...base, ...extra })).rejects.toThrow(
			expect.objectContaining({ name: 'UnrecoverableJobError' }),
		)
	})

	it('rejects images of the wrong size', async () => {
		await expect(
			run(
				{ ...base, op: 'pan', params: { direction: 'left' }, width: 768 },
				{ width: 512, height: 512 },
			),
		).rejects.toThrow(/asked for 768×512/)
	})
})
