import { createBuiltinBackend } from './builtin/builtinBackend'
import { ENGINE_NAMES, type EngineConfig } from './config'
import type { Engine } from './types'

/**
 * The engine named by `ARBOR_BACKEND`, configured from its own settings (parsed and checked by
 * the process's config schema, `EngineConfigSchema`). Throws for a name it doesn't know.
 *
 * @example createEngine(loadConfig())
 */
export function createEngine(config: EngineConfig): Engine {
	const name = config.ARBOR_BACKEND
	switch (name) {
		case 'builtin':
			return createBuiltinBackend({
				delayMs: config.ARBOR_BUILTIN_DELAY_MS,
				upscaleRunner: config.ARBOR_UPSCALE_RUNNER,
			})
		default:
			throw new Error(
				`ARBOR_BACKEND "${name}" is not a known engine; use one of: ${ENGINE_NAMES.join(', ')}`,
			)
	}
}
