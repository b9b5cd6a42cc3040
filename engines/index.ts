import { createA1111Engine } from './a1111/a1111Engine'
import { createBuiltinBackend } from './builtin/builtinBackend'
import { createComfyEngine } from './comfyui/comfyEngine'
import { ENGINE_NAMES, type EngineConfig } from './config'
import { createOpenAIEngine } from './openai/openaiEngine'
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
				model: config.ARBOR_BUILTIN_MODEL,
				upscaleRunner: config.ARBOR_UPSCALE_RUNNER,
			})
		case 'comfyui':
			if (!config.ARBOR_COMFYUI_URL)
				throw new Error(
					'ARBOR_COMFYUI_URL is required when ARBOR_BACKEND=comfyui (e.g. http://127.0.0.1:8188)',
				)
			return createComfyEngine({
				url: config.ARBOR_COMFYUI_URL,
				checkpoint: config.ARBOR_COMFYUI_CHECKPOINT,
				upscaleModel: config.ARBOR_COMFYUI_UPSCALE_MODEL,
			})
		case 'a1111':
			if (!config.ARBOR_A1111_URL)
				throw new Error('ARBOR_A1111_URL is required for ARBOR_BACKEND=a1111')
			return createA1111Engine({ url: config.ARBOR_A1111_URL, auth: config.ARBOR_A1111_AUTH })
		case 'openai':
			if (!config.ARBOR_OPENAI_API_KEY)
				throw new Error('ARBOR_OPENAI_API_KEY is required for ARBOR_BACKEND=openai')
			return createOpenAIEngine({
				baseURL: config.ARBOR_OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
				apiKey: config.ARBOR_OPENAI_API_KEY,
				model: config.ARBOR_OPENAI_MODEL ?? 'gpt-image-1',
			})
		default:
			throw new Error(
				`ARBOR_BACKEND "${name}" is not a known engine; use one of: ${ENGINE_NAMES.join(', ')}`,
			)
	}
}
