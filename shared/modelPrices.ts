import { z } from 'zod'
import { ModelIdSchema } from './ops/catalogue'

// What a prompt costs on each model, as an instance admin sets it. A model without a price of its
// own costs the catalogue's; every op on a model scales by its price over the catalogue's
// (`modelPriceScale` in ops/pricing.ts).

/**
 * `PUT /api/admin/model-prices`: `price` is the credits a prompt (a grid of four 512² candidates)
 * costs on `model`; `null` gives the model the catalogue's price back.
 *
 * @example { model: 'sd_xl_base_1.0.safetensors', price: 10 }
 */
export const ModelPriceSetSchema = z
	.object({
		model: ModelIdSchema,
		price: z.number().int().min(1).max(10_000).nullable(),
	})
	.strict()
export type ModelPriceSet = z.infer<typeof ModelPriceSetSchema>

/** One model as the admin page lists it: online now, priced, or both. */
export const AdminModelSchema = z.object({
	id: z.string(),
	/** Its display name when an engine lists it; the id otherwise. */
	name: z.string(),
	/** The engine serving it; null when no engine online does. */
	engine: z.string().nullable(),
	online: z.boolean(),
	/** Credits a prompt costs on it now (its own price, or the catalogue's). */
	price: z.number(),
	/** Whether an admin set its price (false: the catalogue's). */
	custom: z.boolean(),
	updatedAt: z.string().nullable(),
})
export type AdminModel = z.infer<typeof AdminModelSchema>

/** `GET /api/admin/model-prices`. */
export const AdminModelsReplySchema = z.object({
	/** The catalogue's price of a prompt: what a model without its own price costs. */
	cataloguePrice: z.number(),
	models: z.array(AdminModelSchema),
})
export type AdminModelsReply = z.infer<typeof AdminModelsReplySchema>
