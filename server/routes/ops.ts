import { Hono } from 'hono'
import { z } from 'zod'
import { unsupportedReason } from '../../shared/engines'
import { OP_NAMES, OPS, type OpName } from '../../shared/ops/catalogue'
import { OpInputError, outputDimensions } from '../../shared/ops/geometry'
import { modelPriceScale, priceForOutput } from '../../shared/ops/pricing'
import { enginesFor } from '../commands/engineGate'
import type { AppEnv } from '../context'
import { validate } from '../middleware/validate'
import { pricedModel, promptPriceOf } from '../queries/modelPrices'

const OpsQuerySchema = z
	.object({
		width: z.coerce.number().int().min(1).max(16_384).default(512),
		height: z.coerce.number().int().min(1).max(16_384).default(512),
		/**
		 * The model of the node being steered (its image's `model`): judge by its engine only, and
		 * price on it (its admin-set price scales every op).
		 */
		model: z.string().min(1).max(300).optional(),
	})
	.catchall(z.string().max(40))

/** Each op's params, with the values priced when the query names none. */
const DEFAULT_PARAMS: Record<OpName, Record<string, unknown>> = {
	imagine: { aspectRatio: '1:1' },
	reroll: {},
	vary: { strength: 'subtle' },
	remix: {},
	zoom_out: { factor: 2 },
	pan: { direction: 'right' },
	upscale: { mode: 'subtle', factor: 2 },
}

/** Query strings are strings: numeric values become numbers, as the op schemas expect. */
const asParam = (v: string) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : v)

function priceOfOp(
	op: OpName,
	given: Record<string, unknown>,
	parent: { width: number; height: number },
	scale: number,
) {
	const defaults = DEFAULT_PARAMS[op]
	const params = { ...defaults }
	for (const key of Object.keys(defaults)) if (key in given) params[key] = given[key]
	try {
		const output = outputDimensions(op, params, parent)
		const mode = params.mode === 'creative' ? 'creative' : 'subtle'
		return {
			price: priceForOutput(op, output, op === 'upscale' ? mode : undefined, scale),
			output,
			params,
		}
	} catch (err) {
		// The given params don't fit this op (a pan past 1:4…): its list price stands. Anything
		// else is a bug, and goes to the error handler.
		if (!(err instanceof OpInputError)) throw err
		return { price: Math.max(1, Math.round(OPS[op].cost * scale)), output: null, params }
	}
}

/**
 * `GET /api/ops` — the catalogue, each op priced for given params: `width`/`height` (the parent's
 * size; default a 512² draft), op params (`factor=4&mode=creative`, `aspectRatio=3:2`…) and
 * `model` (its admin-set price scales every op; default the engine's default model).
 * `engines` names the online engines that can run each op with those params (all of them when
 * none is known yet); per-engine capabilities are in `GET /api/engines`. With `model` (a node's
 * image model), only the engines serving that model count, so an op its engine cannot run (an
 * OpenAI-made image's upscale) is not offered for that node.
 */
export const ops = new Hono<AppEnv>().get('/', validate('query', OpsQuerySchema), (c) => {
	const { width, height, model, ...rest } = c.req.valid('query')
	const given = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, asParam(String(v))]))
	const all = c.var.ctx.engines.list()
	const online = enginesFor(all, { model: model ?? null, picked: false })
	const scale = modelPriceScale(promptPriceOf(c.var.ctx.db, pricedModel(model, all)))
	return c.json({
		ops: OP_NAMES.map((name) => {
			const priced = priceOfOp(name, given, { width, height }, scale)
			const engines = online
				.filter((e) => unsupportedReason(e.capabilities, name, priced.params) === null)
				.map((e) => e.engine)
			return {
				...OPS[name],
				...priced,
				engines,
				offered: online.length === 0 || engines.length > 0,
			}
		}),
	})
})
