import { eq } from 'drizzle-orm'
import type { ModelPriceSet } from '../../shared/modelPrices'
import type { Db } from '../db/client'
import { modelPrices } from '../db/schema'

/**
 * Sets what a prompt costs on a model (every op on it scales alike), or with `price: null` gives
 * it the catalogue's price back. Jobs already recorded keep the price they reserved.
 */
export function modelPriceSet(db: Db, input: ModelPriceSet & { actorId: string }): void {
	if (input.price === null) {
		db.delete(modelPrices).where(eq(modelPrices.model, input.model)).run()
		return
	}
	const row = {
		model: input.model,
		price: input.price,
		updatedBy: input.actorId,
		updatedAt: Date.now(),
	}
	db.insert(modelPrices)
		.values(row)
		.onConflictDoUpdate({ target: modelPrices.model, set: row })
		.run()
}
