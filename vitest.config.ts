import { defineConfig } from 'vitest/config'

// Unit and integration tests (real SQLite files, real servers on port 0). Browser tests live in
// e2e/ with their own config, run after the client is built.
//
// `*.process.test.ts` files kill and restart real processes (workers, servers, Redis) for
// seconds at a time. They run after everything else, one file at a time: on 2 cores their load
// would otherwise skew timing-sensitive tests, and theirs would skew them.
const PROCESS_TESTS = '{shared,engines,server,worker,client}/**/*.process.test.ts'

export default defineConfig({
	test: {
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 30_000,
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['{shared,engines,server,worker,client}/**/*.test.ts'],
					exclude: [PROCESS_TESTS, '**/node_modules/**'],
					sequence: { groupOrder: 0 },
				},
			},
			{
				extends: true,
				test: {
					name: 'processes',
					include: [PROCESS_TESTS],
					fileParallelism: false,
					sequence: { groupOrder: 1 },
				},
			},
		],
	},
})
