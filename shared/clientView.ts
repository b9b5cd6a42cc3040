import { z } from 'zod'
import { AccessRoleSchema, BoardSchema, ImageSchema, LineageStepSchema, PersonSchema } from './api'
import { ImageIdSchema } from './ids'
import { ClientViewSettingsSchema } from './sharing'

// What the client view's HTTP reads return. A client sees the published images and their
// lineage, never the workings behind them: prompts, seeds and costs only when the owner shows
// them, and never the infrastructure (worker hosts, policy checks) or the board's budget.

/** One published image (`PUT …/publications/:imageId`). */
export const PublicationSchema = z.object({
	imageId: ImageIdSchema,
	publishedBy: PersonSchema,
	createdAt: z.string(),
})
export type Publication = z.infer<typeof PublicationSchema>

/** `GET …/publications` (editors and owners). */
export const PublicationListSchema = z.object({
	imageIds: z.array(ImageIdSchema),
	settings: ClientViewSettingsSchema,
})

/** The board as a client sees it: no budget cap. */
export const ClientBoardSchema = BoardSchema.omit({ budgetCap: true })
export type ClientBoard = z.infer<typeof ClientBoardSchema>

/**
 * `GET /api/boards/:boardId`, for every role with access. `board` is a `ClientBoard` for a client
 * (`BoardSchema`'s `budgetCap` is optional, so one schema reads both). `owner` is the board's
 * creator, for everyone: a client or guest has no member list to find it in, and the client
 * header names them ("Shared by Ana").
 */
export const BoardAccessSchema = z.object({
	board: BoardSchema,
	role: AccessRoleSchema,
	clientView: ClientViewSettingsSchema,
	owner: PersonSchema,
})
export type BoardAccess = z.infer<typeof BoardAccessSchema>

/**
 * An image's provenance as a client sees it: no worker, checks, engine or model. `prompt`/`negativePrompt` are present only with
 * `showPrompts`, `seed` only with `showSeeds`, `cost` only with `showCosts`; `params` loses its
 * `seed` and `negativePrompt` the same way.
 */
export const ClientImageSchema = ImageSchema.omit({
	worker: true,
	checks: true,
	// The team's tools (engine, model, version, the engine's own record) are not the client's
	// business either: a review shows the work, not the workshop.
	backend: true,
	model: true,
	version: true,
	requestedModel: true,
	engine: true,
}).extend({
	prompt: z.string().optional(),
	negativePrompt: z.string().nullable().optional(),
	seed: z.number().int().optional(),
	cost: z.number().optional(),
})
export type ClientImage = z.infer<typeof ClientImageSchema>

/** A lineage step as a client sees it: visible images only, stripped like `ClientImage`. */
export const ClientLineageStepSchema = LineageStepSchema.omit({ engine: true, model: true }).extend(
	{
		imageId: z.string(),
		prompt: z.string().optional(),
		seed: z.number().nullable().optional(),
	},
)
export type ClientLineageStep = z.infer<typeof ClientLineageStepSchema>
