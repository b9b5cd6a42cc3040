import {
	type EngineDescription,
	isModelServed,
	sizeFor,
	unsupportedReason,
} from '../../shared/engines'
import type { OpName } from '../../shared/ops/catalogue'
import type { Dimensions } from '../../shared/ops/geometry'
import type { AppContext } from '../context'
import { AppError } from '../errors'

/** What decides the engine a job runs on: its model, else the engine that made its parent. */
export interface EngineChoice {
	/** The model the job records (picked, inherited or the board's); null: the engine's default. */
	model: string | null
	/** Whether the person picked `model` for this job (it may name an engine not online yet). */
	picked: boolean
	/** The engine that made the parent image, for a branch. */
	parentEngine?: string
}

/**
 * The online engines that would run a job: those serving its model; for a model none serves,
 * nothing when it was picked (a worker for it may come online) or the parent's engine when it
 * was inherited; with no model, the parent's engine, else any online engine.
 */
export function enginesFor(
	engines: readonly EngineDescription[],
	choice: EngineChoice,
): EngineDescription[] {
	if (choice.model) {
		const serving = engines.filter((e) => isModelServed([e], choice.model!))
		if (serving.length > 0) return serving
		if (choice.picked) return []
	}
	const own = engines.filter((e) => e.engine === choice.parentEngine)
	return own.length > 0 ? own : [...engines]
}

/**
 * Refuses (422 `op_unsupported`) an op no engine that would run it can run (`enginesFor`). With
 * no engine known (queue mode before any worker announced itself, or a picked model none serves
 * yet) the job is accepted and waits.
 *
 * @example engineGate(ctx, { op: 'upscale', params: { mode: 'subtle', factor: 4 }, model: null, picked: false, parentEngine: 'openai' })
 */
export function engineGate(
	ctx: AppContext,
	options: EngineChoice & { op: string; params: Readonly<Record<string, unknown>> },
): void {
	const candidates = enginesFor(ctx.engines.list(), options)
	if (candidates.length === 0) return
	const reasons = candidates.map((e) => ({
		engine: e.engine,
		reason: unsupportedReason(e.capabilities, options.op as OpName, options.params),
	}))
	if (reasons.some((r) => r.reason === null)) return
	const why = reasons.map((r) => `${r.engine} ${r.reason}`).join('; ')
	throw new AppError('op_unsupported', `No engine online can do this: ${why}.`)
}

/** Ops whose output frame is free to take the engine's size (outpainting keeps Arbor's frame). */
const FREE_FRAME: readonly string[] = ['imagine', 'reroll', 'vary', 'remix']

/**
 * The size a job records: an engine with a fixed size list (OpenAI-style) paints the nearest size
 * it has, so the job asks for exactly that and the node and inspector show the real size rather
 * than a stretched copy at Arbor's. Other engines, and zoom out / pan (whose geometry places the
 * parent in Arbor's frame; the adapter fits it), keep Arbor's size.
 */
export function engineOutputSize(
	ctx: AppContext,
	options: EngineChoice & { op: string; size: Dimensions },
): Dimensions {
	if (!FREE_FRAME.includes(options.op)) return options.size
	const candidates = enginesFor(ctx.engines.list(), options)
	const rule = candidates[0]?.capabilities.size
	if (rule?.kind !== 'fixed') return options.size
	// Engines that would run it disagree on sizes: leave it to the adapter that takes it.
	if (candidates.some((e) => JSON.stringify(e.capabilities.size) !== JSON.stringify(rule)))
		return options.size
	return sizeFor(rule, options.size)
}
