import { describe, expect, it } from 'vitest'
import type { EngineCapabilities, EngineDescription, OnlineModel } from '../../../shared/engines'
import { isOffered, nodeModelOf, promptModel, steeringTarget } from './modelChoice'

const model = (id: string, engine: string, price = 4): OnlineModel => ({
	id,
	name: `${id}.safetensors`,
	engine,
	workers: 1,
	price,
})
const caps = (ops: EngineCapabilities['ops'], upscaleFactors: (2 | 4)[] = []) =>
	({
		ops,
		size: { kind: 'multiple', multiple: 8, min: 64, max: 2048 },
		seeds: true,
		maxBatch: 4,
		previews: true,
		upscaleFactors,
	}) satisfies EngineCapabilities
const engine = (name: string, defaultModel: string, capabilities: EngineCapabilities) =>
	({
		engine: name,
		version: '1',
		defaultModel,
		capabilities,
		models: [],
		workers: 1,
	}) satisfies EngineDescription

const MODELS = [model('sdxl', 'comfyui', 8), model('dall-e', 'openai', 12)]
const ENGINES = [
	engine('comfyui', 'sdxl', caps(['imagine', 'vary', 'upscale'], [2, 4])),
	engine('openai', 'dall-e', caps(['imagine', 'vary', 'remix'])),
]

describe('promptModel', () => {
	it("shows the person's pick, else the board's remembered default, else the first online", () => {
		expect(promptModel(MODELS, { picked: 'dall-e', boardDefault: 'sdxl' })?.id).toBe('dall-e')
		expect(promptModel(MODELS, { picked: null, boardDefault: 'dall-e' })?.id).toBe('dall-e')
		// A remembered model nobody serves now is not offered: the first online is.
		expect(promptModel(MODELS, { picked: null, boardDefault: 'flux' })?.id).toBe('sdxl')
		expect(promptModel([], { picked: null, boardDefault: 'sdxl' })).toBeNull()
	})
})

describe('steeringTarget', () => {
	const origin = { requested: 'sdxl', madeWith: 'sdxl', engine: 'comfyui' }

	it("keeps the node's model and offers only what its engine can run", () => {
		const target = steeringTarget({ origin, override: null, models: MODELS, engines: ENGINES })
		expect(target.model?.id).toBe('sdxl')
		expect(target.overridden).toBe(false)
		expect(target.scale).toBe(2)
		expect(isOffered(target.capabilities, 'vary')).toBe(true)
		expect(isOffered(target.capabilities, 'remix')).toBe(false)
		expect(isOffered(target.capabilities, 'upscale', { mode: 'subtle', factor: 4 })).toBe(true)
	})

	it("follows a model picked in the steering bar: its engine's ops and its price", () => {
		const target = steeringTarget({
			origin,
			override: 'dall-e',
			models: MODELS,
			engines: ENGINES,
		})
		expect(target).toMatchObject({ overridden: true, nodeModel: 'sdxl', scale: 3 })
		expect(isOffered(target.capabilities, 'remix')).toBe(true)
		expect(isOffered(target.capabilities, 'upscale', { mode: 'subtle', factor: 2 })).toBe(false)
	})

	it("treats picking the node's own model again as no pick", () => {
		const target = steeringTarget({ origin, override: 'sdxl', models: MODELS, engines: ENGINES })
		expect(target.overridden).toBe(false)
	})

	it('lists a node model nobody serves now as offline, judged by any online engine (as the server)', () => {
		const target = steeringTarget({
			origin: { requested: 'flux', madeWith: 'flux', engine: 'a1111' },
			override: null,
			models: MODELS,
			engines: ENGINES,
		})
		expect(target.model).toMatchObject({ id: 'flux', name: 'flux (offline)' })
		expect(target.capabilities).toHaveLength(2)
		expect(isOffered(target.capabilities, 'remix')).toBe(true)
		expect(isOffered(target.capabilities, 'pan')).toBe(false)
	})

	it('offers every op for a picked model no engine serves yet (the job waits for a worker)', () => {
		const target = steeringTarget({ origin, override: 'flux', models: MODELS, engines: ENGINES })
		expect(target.capabilities).toEqual([])
		expect(isOffered(target.capabilities, 'pan')).toBe(true)
	})

	it("runs an upload's or a default-model node on the model that would really take it", () => {
		expect(
			nodeModelOf({ requested: null, madeWith: 'user-upload', engine: 'upload' }, MODELS),
		).toBe('sdxl')
		expect(nodeModelOf({ requested: null, madeWith: 'dall-e', engine: 'openai' }, MODELS)).toBe(
			'dall-e',
		)
	})
})
