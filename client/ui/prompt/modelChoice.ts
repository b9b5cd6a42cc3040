import {
	type EngineCapabilities,
	type EngineDescription,
	isModelServed,
	type OnlineModel,
	unsupportedReason,
} from '../../../shared/engines'
import type { OpName } from '../../../shared/ops/catalogue'
import { modelPriceScale } from '../../../shared/ops/pricing'

// Which model a prompt or a steering op asks for, and what the engine behind it can do. Pure, so
// the prompt bar, the steering bar and their tests agree.

/**
 * The model the prompt bar shows: what the person picked while it is online, else the board's
 * remembered default while it is online, else the first model online; null when none is.
 *
 * @example promptModel(models, { picked: null, boardDefault: 'flux' }) // 'flux' when online
 */
export function promptModel(
	models: readonly OnlineModel[],
	options: { picked: string | null; boardDefault: string | null | undefined },
): OnlineModel | null {
	const online = (id: string | null | undefined) =>
		id ? (models.find((m) => m.id === id) ?? null) : null
	return online(options.picked) ?? online(options.boardDefault) ?? models[0] ?? null
}

/** Where a node's image came from, as its provenance says. */
export interface NodeOrigin {
	/** The model its job asked for; null: the engine's default. */
	requested: string | null
	/** The model that made it (an upload's is `user-upload`). */
	madeWith: string
	/** The engine that made it (`builtin`, `comfyui`, `upload`…). */
	engine: string
}

export interface SteeringTarget {
	/** The model steering runs on: the node's, unless the person picked another. */
	model: OnlineModel | null
	/** Whether the person picked another model than the node's (then it is sent with each request). */
	overridden: boolean
	/** The node's own model, as steering would run it without a pick. */
	nodeModel: string | null
	/**
	 * What the engines that would run it can do (any of them may take the job); empty when none
	 * is online for it (every op offered: the server decides, or the job waits for a worker).
	 */
	capabilities: EngineCapabilities[]
	/** Its price scale (admin-set prompt price over the catalogue's). */
	scale: number
}

/**
 * The model steering a node keeps, as the server resolves it: the one its job asked for, else
 * (the engine's default) the one that made it while that is online, else the first online.
 */
export function nodeModelOf(origin: NodeOrigin, models: readonly OnlineModel[]): string | null {
	if (origin.requested) return origin.requested
	return models.some((m) => m.id === origin.madeWith) ? origin.madeWith : (models[0]?.id ?? null)
}

/**
 * What steering a node runs on: the node's own model unless the person picked another in the
 * steering bar; the engines serving it (else the one that made the node) decide which ops are
 * offered. A node model no engine serves now is listed as offline.
 */
export function steeringTarget(options: {
	origin: NodeOrigin | null
	override: string | null
	models: readonly OnlineModel[]
	engines: readonly EngineDescription[]
}): SteeringTarget {
	const { origin, models, engines } = options
	const nodeModel = origin ? nodeModelOf(origin, models) : null
	const override = options.override === nodeModel ? null : options.override
	const id = override ?? nodeModel
	const listed = id ? models.find((m) => m.id === id) : undefined
	const model: OnlineModel | null =
		listed ??
		(id
			? { id, name: `${id} (offline)`, engine: origin?.engine ?? '', workers: 0, price: NaN }
			: null)
	const candidates = enginesFor(engines, {
		model: id,
		picked: override !== null,
		parentEngine: origin?.engine,
	})
	return {
		model,
		overridden: override !== null,
		nodeModel,
		capabilities: candidates.map((e) => e.capabilities),
		scale: modelPriceScale(listed?.price),
	}
}

/**
 * The online engines that would take a job, as the server picks them (mirrors `enginesFor` in
 * server/commands/engineGate.ts): those serving its model; for a model none serves, none when it
 * was picked (a worker for it may come) or the parent's engine when inherited; else any.
 */
function enginesFor(
	engines: readonly EngineDescription[],
	choice: { model: string | null; picked: boolean; parentEngine?: string },
): readonly EngineDescription[] {
	if (choice.model) {
		const serving = engines.filter((e) => isModelServed([e], choice.model!))
		if (serving.length > 0) return serving
		if (choice.picked) return []
	}
	const own = engines.filter((e) => e.engine === choice.parentEngine)
	return own.length > 0 ? own : engines
}

/**
 * Whether the steering bar offers `op` with `params`: every op while no engine is known for it
 * (the server decides), else what one of the engines that would take it can run.
 */
export function isOffered(
	capabilities: readonly EngineCapabilities[],
	op: OpName,
	params: Readonly<Record<string, unknown>> = {},
): boolean {
	return (
		capabilities.length === 0 || capabilities.some((c) => unsupportedReason(c, op, params) === null)
	)
}
