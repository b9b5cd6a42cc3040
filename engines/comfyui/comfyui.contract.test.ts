import { engineContract } from '../engineContract'
import { createComfyEngine } from './comfyEngine'
import { startFakeComfyUI } from './testing/fakeComfyUI'

engineContract('comfyui (fake ComfyUI on port 0)', {
	engineName: 'comfyui',
	faults: ['refused', 'out_of_memory', 'unavailable', 'hang'],
	async setup({ slow }) {
		const fake = await startFakeComfyUI({ stepMs: slow ? 500 : 10 })
		const engine = createComfyEngine({ url: fake.url, pollMs: 100 })
		return {
			engine,
			fault(fault) {
				if (fault === 'refused') {
					// A checkpoint the engine does not have: ComfyUI's 400 with node_errors.
					const generate = engine.generate.bind(engine)
					engine.generate = (request, options) =>
						generate({ ...request, model: 'missing.safetensors' }, options)
				} else
					fake.failNext(fault === 'out_of_memory' ? 'oom' : fault === 'hang' ? 'hang' : 'http500')
			},
			cancelled: () => fake.cancelled.length,
			async close() {
				await engine.close?.()
				await fake.close()
			},
		}
	},
})
