import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { Image } from '../../shared/api'
import { Provenance } from './Provenance'

const image: Image = {
	id: 'img_0123456789abcdef',
	boardId: 'brd_0123456789abcdef',
	jobId: 'job_0123456789abcdef',
	index: 0,
	op: 'imagine',
	opVersion: 1,
	prompt: 'a lighthouse at dusk',
	negativePrompt: null,
	seed: 1234,
	params: { aspectRatio: '3:2' },
	parentImageId: null,
	backend: 'comfyui',
	model: 'sd_xl_base_1.0.safetensors',
	requestedModel: null,
	version: '1.0.0',
	width: 624,
	height: 416,
	sha256: 'a'.repeat(64),
	cost: 1,
	worker: null,
	engine: {
		engine: 'comfyui',
		model: 'sd_xl_base_1.0.safetensors',
		modelHash: null,
		sampler: 'euler',
		scheduler: 'normal',
		steps: 25,
		cfg: 7,
		denoise: 1,
		seed: 1234,
		extras: {},
	},
	createdBy: { id: 'usr_0123456789abcdef', name: 'Ines' },
	createdAt: '2026-12-08T00:00:00.000Z',
}

const render = (shown: Image) =>
	renderToStaticMarkup(createElement(Provenance, { image: shown, onOpenParent: () => {} }))

describe('Provenance', () => {
	it('shows the seed and size of an engine that honours seeds', () => {
		const html = render(image)
		expect(html).toMatch(/data-testid="inspector-seed"[^>]*>1234</)
		expect(html).toMatch(/data-testid="inspector-size"[^>]*>624 × 416</)
		expect(html).not.toContain('painted at')
	})

	it('says an OpenAI-style engine took no seed, and shows the size it really painted', () => {
		const html = render({
			...image,
			backend: 'openai',
			model: 'gpt-image-1',
			width: 624,
			height: 352,
			engine: {
				...image.engine!,
				engine: 'openai',
				model: 'gpt-image-1',
				sampler: null,
				seed: null,
				extras: { seedsHonoured: false, engineSize: '1536x1024', totalTokens: 4480 },
			},
		})
		expect(html).toMatch(/data-testid="inspector-seed"[^>]*>None — openai does not take seeds</)
		expect(html).not.toContain('1234')
		expect(html).toContain('painted at 1536 × 1024, fitted')
		expect(html).toMatch(/data-testid="inspector-tokens"[^>]*>4480</)
	})
})
