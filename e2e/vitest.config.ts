import { defineConfig } from 'vitest/config'

// Browser tests: a real server on port 0 serving the built client (`npm run build` first), driven
// with playwright-core in Debian's Chromium. One file at a time: Chromium is heavy on 2 cores.
export default defineConfig({
	test: {
		include: ['e2e/**/*.e2e.ts'],
		environment: 'node',
		testTimeout: 120_000,
		hookTimeout: 60_000,
		fileParallelism: false,
	},
})
