import { createBuiltinBackend } from './builtin/builtinBackend'
import type { GeneratorBackend } from './types'

/** Backend names `ARBOR_BACKEND` accepts. */
export const BACKEND_NAMES = ['builtin'] as const

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
 * The generator backend named by `ARBOR_BACKEND`. Throws at start-up for a name it doesn't know,
 * rather than failing every job later.
 *
 * @example createBackend(config.ARBOR_BACKEND, process.env)
 */
export function createBackend(
	name: string,
	env: Record<string, string | undefined>,
): GeneratorBackend {
	switch (name) {
		case 'builtin':
			return createBuiltinBackend({ delayMs: delayFrom(env) })
		default:
			throw new Error(
				`ARBOR_BACKEND "${name}" is not a known generator backend; use one of: ${BACKEND_NAMES.join(', ')}`,
			)
	}
}
