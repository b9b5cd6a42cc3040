import { createBuiltinBackend } from './builtin/builtinBackend'
import type { Engine } from './types'

/** Engine names `ARBOR_BACKEND` accepts. */
export const ENGINE_NAMES = ['builtin'] as const

function delayFrom(env: Record<string, string | undefined>): number {
	const raw = env.ARBOR_BUILTIN_DELAY_MS
	if (raw === undefined || raw === '') return 0
	const ms = Number(raw)
	if (!Number.isFinite(ms) || ms < 0) {
		throw new Error(
			`ARBOR_BUILTIN_DELAY_MS must be a non-negative number of milliseconds, got "${raw}"`,
		)
	}
	return ms
}

/**
 * The engine named by `ARBOR_BACKEND`, configured from its own variables. Throws at start-up for
 * a name it doesn't know or a bad setting, rather than failing every job later.
 *
 * @example createEngine(config.ARBOR_BACKEND, process.env)
 */
export function createEngine(name: string, env: Record<string, string | undefined>): Engine {
	switch (name) {
		case 'builtin':
			return createBuiltinBackend({ delayMs: delayFrom(env) })
		default:
			throw new Error(
				`ARBOR_BACKEND "${name}" is not a known engine; use one of: ${ENGINE_NAMES.join(', ')}`,
			)
	}
}
