import { unsupportedReason } from '../../shared/engines'
import type { OpName } from '../../shared/ops/catalogue'
import type { AppContext } from '../context'
import { AppError } from '../errors'

/**
 * Refuses (422 `op_unsupported`) an op no engine that would run it can run: the engine that made
 * the parent when it is online, else any online engine. With no engine known (queue mode before
 * any worker announced itself) the job is accepted and waits.
 *
 * @example engineGate(ctx, { op: 'upscale', params: { mode: 'subtle', factor: 4 }, parentEngine: 'openai' })
 */
export function engineGate(
	ctx: AppContext,
	options: { op: string; params: Readonly<Record<string, unknown>>; parentEngine?: string },
): void {
	const engines = ctx.engines.list()
	if (engines.length === 0) return
	const own = engines.filter((e) => e.engine === options.parentEngine)
	const candidates = own.length > 0 ? own : engines
	const reasons = candidates.map((e) => ({
		engine: e.engine,
		reason: unsupportedReason(e.capabilities, options.op as OpName, options.params),
	}))
	if (reasons.some((r) => r.reason === null)) return
	const why = reasons.map((r) => `${r.engine} ${r.reason}`).join('; ')
	throw new AppError('op_unsupported', `No engine online can do this: ${why}.`)
}
