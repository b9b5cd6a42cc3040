import { eq } from 'drizzle-orm'
import type { EngineDescription } from '../../shared/engines'
import type { AdminModel } from '../../shared/modelPrices'
import { OPS } from '../../shared/ops/catalogue'
import type { Db } from '../db/client'
import { modelPrices } from '../db/schema'
import { toIso } from '../ids'

/** What a prompt costs on `model`: its admin-set price, else the catalogue's. */
export function promptPriceOf(db: Db, model: string | null | undefined): number {
	if (!model) return OPS.imagine.cost
	const row = db.select().from(modelPrices).where(eq(modelPrices.model, model)).get()
	return row?.price ?? OPS.imagine.cost
}

/** Every admin-set price, by model id. */
export function modelPriceMap(db: Db): Map<string, number> {
	return new Map(
		db
			.select()
			.from(modelPrices)
			.all()
			.map((r) => [r.model, r.price]),
	)
}

/**
 * The model a job is priced on: the one it asked for, else the default model of the engine that
 * would take it (the first online; in embedded mode the only one).
 */
export function pricedModel(
	model: string | null | undefined,
	engines: readonly EngineDescription[],
): string | null {
	return model ?? engines[0]?.defaultModel ?? null
}

/** The admin page's list: every model online now, then every priced model that is not. */
export function adminModelList(db: Db, engines: readonly EngineDescription[]): AdminModel[] {
	const rows = new Map(
		db
			.select()
			.from(modelPrices)
			.all()
			.map((r) => [r.model, r]),
	)
	const list = new Map<string, AdminModel>()
	const add = (id: string, name: string, engine: string | null, online: boolean) => {
		if (list.has(id)) return
		const row = rows.get(id)
		list.set(id, {
			id,
			name,
			engine,
			online,
			price: row?.price ?? OPS.imagine.cost,
			custom: row !== undefined,
			updatedAt: toIso(row?.updatedAt ?? null),
		})
	}
	for (const e of engines) {
		add(
			e.defaultModel,
			e.models.find((m) => m.id === e.defaultModel)?.name ?? e.defaultModel,
			e.engine,
			true,
		)
		for (const m of e.models) add(m.id, m.name, e.engine, true)
	}
	for (const id of rows.keys()) add(id, id, null, false)
	return [...list.values()]
}
