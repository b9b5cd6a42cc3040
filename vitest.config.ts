import { defineConfig } from 'vitest/config'

// Unit and integration tests (real SQLite files, real servers on port 0). Browser tests live in
// e2e/ with their own config, run after the client is built.
export default defineConfig({
	test: {
		include: ['{shared,server,worker,client}/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 30_000,
	},
})
