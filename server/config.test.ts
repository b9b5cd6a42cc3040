import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { WorkerConfigSchema } from '../worker/config'
import { ConfigSchema } from './config'

/** Starts a process entry the way `npm start` / `npm run worker` do, with extra environment. */
function start(entry: string, env: Record<string, string>) {
	const clean = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !key.startsWith('ARBOR_') && key !== 'REDIS_URL'),
	)
	return spawnSync(process.execPath, ['--import', 'tsx', entry], {
		env: { ...clean, ...env },
		encoding: 'utf8',
		timeout: 60_000,
	})
}

describe('a bad configuration value', () => {
	it.each([
		// An engine setting: read through the process's schema, not by the engine from the env.
		[
			'server/main.ts',
			{ ARBOR_UPSCALE_RUNNER: 'gpu' },
			/^Invalid configuration: ARBOR_UPSCALE_RUNNER: /,
		],
		[
			'worker/main.ts',
			{ ARBOR_SERVER_URL: 'http://x', ARBOR_WORKER_TOKEN: 'x'.repeat(16) },
			/^Invalid configuration: REDIS_URL: /,
		],
	])('stops %s with one line naming it, and no stack trace (%o)', (entry, env, message) => {
		const run = start(entry, env)
		expect(run.status).toBe(1)
		const lines = run.stderr.trim().split('\n')
		expect(lines, run.stderr).toHaveLength(1)
		expect(lines[0]).toMatch(message)
	})
})

describe('the README configuration table', () => {
	it('lists every variable the server and the worker read', () => {
		const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
		const listed = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]))
		const read = [...Object.keys(ConfigSchema.shape), ...Object.keys(WorkerConfigSchema.shape)]
		expect(read.filter((name) => !listed.has(name))).toEqual([])
	})
})
