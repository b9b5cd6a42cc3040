import { engineContract } from '../engineContract'
import { createBuiltinBackend } from './builtinBackend'

engineContract('builtin', {
	engineName: 'builtin',
	faults: [],
	async setup({ slow }) {
		return { engine: createBuiltinBackend({ delayMs: slow ? 5000 : 0 }), close: async () => {} }
	},
})
