import { engineContract } from '../engineContract'
import { createOpenAIEngine } from './openaiEngine'
import { startFakeOpenAI } from './testing/fakeOpenAI'

engineContract('openai (fake OpenAI Images API on port 0)', {
	engineName: 'openai',
	faults: ['refused', 'unavailable', 'hang'],
	async setup() {
		const fake = await startFakeOpenAI({ apiKey: 'sk-contract', refuse: /refuse me/ })
		const engine = createOpenAIEngine({
			baseURL: `${fake.url}/v1`,
			apiKey: 'sk-contract',
			model: 'gpt-image-1',
		})
		return {
			engine,
			fault(fault) {
				if (fault === 'refused') {
					const generate = engine.generate.bind(engine)
					engine.generate = (request, options) =>
						generate({ ...request, prompt: 'refuse me' }, options)
				} else fake.failNext(fault === 'hang' ? 'hang' : 500)
			},
			close: () => fake.close(),
		}
	},
})
