import { engineContract } from '../engineContract'
import { createA1111Engine } from './a1111Engine'
import { startFakeA1111 } from './testing/fakeA1111'

engineContract('a1111 (fake AUTOMATIC1111 on port 0)', {
	engineName: 'a1111',
	faults: ['refused', 'out_of_memory', 'unavailable', 'hang'],
	async setup({ slow }) {
		// Steps long enough that a 50 ms progress poll sees a preview before the answer.
		const fake = await startFakeA1111({ stepMs: slow ? 150 : 15 })
		const engine = createA1111Engine({ url: fake.url, pollMs: 50 })
		return {
			engine,
			fault(fault) {
				if (fault === 'refused') {
					// A checkpoint A1111 does not have: refused before anything is sent.
					const generate = engine.generate.bind(engine)
					engine.generate = (request, options) =>
						generate({ ...request, model: 'missing.safetensors' }, options)
				} else
					fake.failNext(fault === 'out_of_memory' ? 'oom' : fault === 'hang' ? 'hang' : 'error')
			},
			cancelled: () => fake.interrupts.filter((task) => task !== null).length,
			close: () => fake.close(),
		}
	},
})
