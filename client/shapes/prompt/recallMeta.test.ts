import { describe, expect, it } from 'vitest'
import { recallMetaFor, recallMetaOf } from './recallMeta'

describe('recall meta', () => {
	it('keeps what a recall card needs, as JSON without undefined values', () => {
		const meta = recallMetaFor(
			{
				source: 'comfyui',
				prompt: 'a misty forest',
				seed: 7,
				params: { steps: 20, sampler_name: 'euler', cfg: 8, model: 'sd_xl_base_1.0.safetensors' },
			},
			'ComfyUI_00001_.png',
		)
		expect(meta).toEqual({
			source: 'comfyui',
			seed: 7,
			fileName: 'ComfyUI_00001_.png',
			details: { model: 'sd_xl_base_1.0.safetensors', sampler_name: 'euler', steps: 20, cfg: 8 },
		})
		expect(JSON.parse(JSON.stringify(meta))).toEqual(meta)
	})

	it('reads it back from a shape’s meta, and nothing from an ordinary card', () => {
		const meta = recallMetaFor({ source: 'arbor', prompt: 'x', negativePrompt: 'y', params: {} })
		expect(recallMetaOf({ recall: meta })).toEqual(meta)
		expect(recallMetaOf({})).toBeNull()
		expect(recallMetaOf({ recall: { source: 'midjourney' } })).toBeNull()
	})
})
