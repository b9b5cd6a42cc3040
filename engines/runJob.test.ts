import { describe, expect, it } from 'vitest'
import type { GeneratedImage } from '../shared/jobPayload'
import { type JobIO, runJob } from './runJob'
import type { GenerateRequest, GeneratorBackend } from './types'

const PARENT_PNG = Uint8Array.of(1, 2, 3)

/** Records what it was asked and answers with blank images of the requested size. */
function recordingBackend(size?: { width: number; height: number }) {
	const requests: GenerateRequest[] = []
	const backend: GeneratorBackend = {
		info: { backend: 'test', model: 'm', version: '1' },
		async generate(request) {
			requests.push(request)
			return request.seeds.map(
				(seed, index): GeneratedImage => ({
					index,
					seed,
					width: size?.width ?? request.width,
					height: size?.height ?? request.height,
					png: new Uint8Array(0),
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
	const images = await runJob(payload, { backend, io, signal, onProgress: () => {} })
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
			expect(request.parentPng).toBe(parent ? PARENT_PNG : null)
			expect(request.op).toBe(op)
			expect(images).toHaveLength(request.seeds.length)
		},
	)

	it('passes the source prompt through for remix', async () => {
		const { request } = await run({ ...base, op: 'remix', params: {}, sourcePrompt: 'old' })
		expect(request.sourcePrompt).toBe('old')
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
