import { describe, expect, it } from 'vitest'
import {
	ARBOR_KEYWORD,
	type ArborProvenanceInput,
	arborInfotext,
	PARAMETERS_KEYWORD,
	provenanceTextChunks,
} from './arbor'
import { A1111_DOCSTRING_EXAMPLE, A1111_TILED_DIFFUSION_PARAMS } from './fixtures/a1111'
import { COMFYUI_DEFAULT_API, COMFYUI_SDXL_REFINER_API } from './fixtures/comfyui'
import { parseInfotext } from './infotext'
import type { PngTextChunk } from './pngText'
import { recallFromPng } from './recall'

const text = (keyword: string, value: string): PngTextChunk => ({
	type: 'tEXt',
	keyword,
	text: value,
})

const provenance: ArborProvenanceInput = {
	format: 'arbor.provenance',
	v: 1,
	imageId: 'img_abc123',
	boardId: 'brd_abc123',
	jobId: 'job_abc123',
	index: 2,
	op: 'remix',
	opVersion: 1,
	prompt: 'misty pine forest, dawn: "soft light"',
	negativePrompt: 'people, text',
	params: { aspectRatio: '3:2', chaos: 20, stylize: 250 },
	seed: 4_000_000_001,
	width: 624,
	height: 416,
	parents: [{ imageId: 'img_parent1', sha256: 'ab'.repeat(32) }],
	backend: 'builtin',
	model: 'arbor-latent-painter',
	version: '1.1.0',
	createdBy: { id: 'usr_abc123', name: 'Ada' },
	createdAt: '2026-11-27T10:00:00.000Z',
	cost: 4,
	checks: [{ name: 'blocked-terms', version: '1', outcome: 'passed' }],
}

describe('arbor provenance chunks', () => {
	it('writes A1111 infotext that A1111 reads back: prompt, negative, seed, size, params', () => {
		const [[keyword, infotext]] = provenanceTextChunks(provenance)
		expect(keyword).toBe(PARAMETERS_KEYWORD)
		const info = parseInfotext(infotext)
		expect(info.prompt).toBe(provenance.prompt)
		expect(info.negativePrompt).toBe('people, text')
		expect(info.params).toMatchObject({
			Seed: '4000000001',
			Size: '624x416',
			Model: 'arbor-latent-painter',
			Op: 'remix',
			'Aspect ratio': '3:2',
			Chaos: '20',
			'Arbor image': 'img_abc123',
			'Parent image': 'img_parent1',
		})
		expect(arborInfotext(provenance).split('\n').at(-1)).toMatch(/^Seed: 4000000001, Size: 624x416/)
	})

	it("names a batched engine's seed and batch index, not Arbor's seed per candidate", () => {
		// ComfyUI ran the grid as one batch of 4 from seed 1000: candidate 3 is seed 1000, index 2.
		const batched: ArborProvenanceInput = {
			...provenance,
			seed: 1002,
			backend: 'comfyui',
			model: 'sd_xl_base_1.0.safetensors',
			engine: {
				engine: 'comfyui',
				model: 'sd_xl_base_1.0.safetensors',
				modelHash: null,
				sampler: 'euler',
				scheduler: 'normal',
				steps: 25,
				cfg: 7,
				denoise: 1,
				seed: 1000,
				extras: { batchIndex: 2 },
			},
		}
		const info = parseInfotext(arborInfotext(batched))
		expect(info.params).toMatchObject({ Seed: '1000', 'Batch index': '2', Sampler: 'euler' })
	})

	it('refuses to write an incomplete record', () => {
		const { createdBy: _, ...incomplete } = provenance
		expect(() => provenanceTextChunks(incomplete as ArborProvenanceInput)).toThrow()
	})
})

describe('recallFromPng', () => {
	it('recalls an Arbor image from its own chunk first', () => {
		const chunks = provenanceTextChunks(provenance).map(([k, v]) => text(k, v))
		expect(recallFromPng(chunks)).toEqual({
			source: 'arbor',
			prompt: provenance.prompt,
			negativePrompt: 'people, text',
			seed: 4_000_000_001,
			width: 624,
			height: 416,
			aspectRatio: '3:2',
			params: {
				aspectRatio: '3:2',
				chaos: 20,
				stylize: 250,
				op: 'remix',
				model: 'arbor-latent-painter',
			},
		})
	})

	it('falls back to the infotext when the arbor chunk is damaged', () => {
		const [[, infotext]] = provenanceTextChunks(provenance)
		const recall = recallFromPng([
			text(ARBOR_KEYWORD, '{"format":'),
			text(PARAMETERS_KEYWORD, infotext),
		])
		expect(recall).toMatchObject({
			source: 'a1111',
			prompt: provenance.prompt,
			seed: 4_000_000_001,
		})
	})

	it("recalls A1111's example infotext", () => {
		expect(recallFromPng([text('parameters', A1111_DOCSTRING_EXAMPLE)])).toMatchObject({
			source: 'a1111',
			prompt: expect.stringMatching(/^girl with an artist's beret/),
			negativePrompt: expect.stringMatching(/^ugly, fat/),
			seed: 965400086,
			width: 512,
			height: 512,
			aspectRatio: '1:1',
			params: { Sampler: 'Euler a', Steps: '20', 'CFG scale': '7' },
		})
	})

	it('recalls an A1111 parameter line with a quoted value', () => {
		const recall = recallFromPng([text('parameters', A1111_TILED_DIFFUSION_PARAMS)])
		expect(recall).toMatchObject({ source: 'a1111', prompt: '', seed: 654441681, width: 1536 })
		expect(recall?.params['Tiled Diffusion']).toMatch(/^\{'Method': 'Mixture of Diffusers'/)
	})

	it("recalls ComfyUI's default workflow: texts wired to the sampler, seed, size", () => {
		expect(recallFromPng([text('prompt', COMFYUI_DEFAULT_API)])).toEqual({
			source: 'comfyui',
			prompt: 'masterpiece best quality girl',
			negativePrompt: 'bad hands',
			seed: 8566257,
			width: 512,
			height: 512,
			aspectRatio: '1:1',
			params: {
				steps: 20,
				cfg: 8,
				sampler_name: 'euler',
				scheduler: 'normal',
				denoise: 1,
				model: 'v1-5-pruned-emaonly.safetensors',
			},
		})
	})

	it('takes the base pass of an SDXL base + refiner graph; a zeroed negative is none', () => {
		expect(recallFromPng([text('prompt', COMFYUI_SDXL_REFINER_API)])).toEqual({
			source: 'comfyui',
			prompt: 'a photo of a cat',
			seed: 42,
			width: 1024,
			height: 1024,
			aspectRatio: '1:1',
			params: {
				steps: 20,
				cfg: 7.5,
				sampler_name: 'euler',
				scheduler: 'normal',
				model: 'sd_xl_base_1.0.safetensors',
			},
		})
	})

	it('keeps a seed too big for Arbor only in params', () => {
		const infotext = 'a cat\nSteps: 20, Seed: 18446744073709551615, Size: 1000x300'
		const recall = recallFromPng([text('parameters', infotext)])
		expect(recall?.seed).toBeUndefined()
		expect(recall?.params.Seed).toBe('18446744073709551615')
		expect(recall?.aspectRatio).toBeUndefined()
	})

	it('returns null without metadata or with metadata it cannot read', () => {
		expect(recallFromPng([])).toBeNull()
		expect(recallFromPng([text('Software', 'GIMP')])).toBeNull()
		expect(recallFromPng([text('prompt', 'not json')])).toBeNull()
		expect(
			recallFromPng([text('prompt', '{"1": {"class_type": "SaveImage", "inputs": {}}}')]),
		).toBeNull()
	})
})
