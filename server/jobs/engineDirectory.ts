import type { Engine } from '../../engines/types'
import type { EngineDescription, EngineHealth, EngineModel } from '../../shared/engines'
import type { Logger } from '../logger'
import type { WorkerRegistry } from './workerRegistry'

/** The engines that can run jobs now: the embedded one, or those live workers announce. */
export interface EngineDirectory {
	list(): EngineDescription[]
	/** Asks the engines for their models again (embedded); workers refresh their own. */
	refresh(): Promise<void>
}

/** How often the embedded engine's models are listed again (a checkpoint added on the GPU box). */
const MODELS_REFRESH_MS = 60_000

/**
 * Embedded mode: the server's own engine. Its models come from discovery (ComfyUI's
 * `/models/checkpoints`…), listed at start and every minute; until the first answer only the
 * engine's default model is known.
 */
export function localEngineDirectory(
	engine: Engine,
	logger: Logger,
): EngineDirectory & {
	close(): void
} {
	let models: EngineModel[] = []
	let health: EngineHealth | null = null
	const refresh = async () => {
		try {
			models = await engine.models({ signal: AbortSignal.timeout(10_000) })
			health = (await engine.health?.({ signal: AbortSignal.timeout(10_000) })) ?? null
		} catch (err) {
			// Health shows the engine without models or devices; the next refresh tries again.
			health = null
			logger.warn({ err: String(err), engine: engine.info.backend }, 'engine discovery failed')
		}
	}
	const timer = setInterval(refresh, MODELS_REFRESH_MS)
	timer.unref()
	return {
		list: () => [
			{
				engine: engine.info.backend,
				version: engine.info.version,
				defaultModel: engine.info.model,
				capabilities: engine.capabilities,
				models,
				workers: 1,
				health,
			},
		],
		refresh,
		close: () => clearInterval(timer),
	}
}

/**
 * Queue mode: one entry per engine (name and version) among live workers, with the union of the
 * models they serve. Workers too old to announce capabilities are left out: nothing can be said
 * about what they run.
 */
export function remoteEngineDirectory(workers: WorkerRegistry): EngineDirectory {
	return {
		list() {
			const byEngine = new Map<string, EngineDescription>()
			for (const w of workers.recent()) {
				if (!w.capabilities) continue
				const key = `${w.info.backend}@${w.info.version}`
				const known = byEngine.get(key)
				if (!known) {
					byEngine.set(key, {
						engine: w.info.backend,
						version: w.info.version,
						defaultModel: w.info.model,
						capabilities: w.capabilities,
						models: [...(w.models ?? [])],
						workers: 1,
						health: w.health ?? null,
					})
					continue
				}
				known.workers += 1
				for (const m of w.models ?? [])
					if (!known.models.some((k) => k.id === m.id)) known.models.push(m)
			}
			return [...byEngine.values()]
		},
		refresh: async () => {},
	}
}
