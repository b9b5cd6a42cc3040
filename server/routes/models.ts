import { Hono } from 'hono'
import type { ModelsReply, OnlineModel } from '../../shared/engines'
import { OPS } from '../../shared/ops/catalogue'
import type { AppEnv } from '../context'
import { requireUser } from '../middleware/auth'
import { modelPriceMap } from '../queries/modelPrices'

/**
 * `GET /api/models` — every model online now (the embedded engine's, or those live workers
 * announce), each with its engine, how many workers serve it and what a prompt on it costs (its
 * admin-set price, else the catalogue's price of `imagine`). The prompt bar's model picker lists
 * these.
 */
export const models = new Hono<AppEnv>().use(requireUser).get('/', (c) => {
	const byId = new Map<string, OnlineModel>()
	const prices = modelPriceMap(c.var.ctx.db)
	const add = (engine: string, model: { id: string; name: string }, workers: number) => {
		const known = byId.get(model.id)
		if (known) known.workers += workers
		else
			byId.set(model.id, {
				...model,
				engine,
				workers,
				price: prices.get(model.id) ?? OPS.imagine.cost,
			})
	}
	const { ctx } = c.var
	// Queue mode: counted per worker (one engine entry may group workers serving different models).
	const workers = ctx.workers.recent().filter((w) => w.capabilities)
	for (const w of workers) {
		const listed = w.models ?? []
		if (!listed.some((m) => m.id === w.info.model))
			add(w.info.backend, { id: w.info.model, name: w.info.model }, 1)
		for (const m of listed) add(w.info.backend, { id: m.id, name: m.name }, 1)
	}
	if (workers.length === 0)
		for (const engine of ctx.engines.list()) {
			if (!engine.models.some((m) => m.id === engine.defaultModel))
				add(engine.engine, { id: engine.defaultModel, name: engine.defaultModel }, engine.workers)
			for (const m of engine.models) add(engine.engine, { id: m.id, name: m.name }, engine.workers)
		}
	const body: ModelsReply = { models: [...byId.values()] }
	return c.json(body)
})
