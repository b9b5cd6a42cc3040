import { and, eq } from 'drizzle-orm'
import type { Board, Image, LineageStep } from '../../shared/api'
import type {
	ClientBoard,
	ClientImage,
	ClientLineageStep,
	Publication,
} from '../../shared/clientView'
import type { ClientViewSettings } from '../../shared/sharing'
import type { BoardRow } from '../context'
import type { Db } from '../db/client'
import { publications, users } from '../db/schema'
import { toIso } from '../ids'

// Reads of the client view: its settings, its publications, and the one place where what a
// client may see of a board, an image or a lineage is decided field by field.

/** The board's client view settings, from its `client*` columns. */
export function clientViewSettingsOf(board: BoardRow): ClientViewSettings {
	return {
		showPrompts: board.clientShowPrompts,
		showSeeds: board.clientShowSeeds,
		showCosts: board.clientShowCosts,
		allowComments: board.clientAllowComments,
	}
}

export function getPublication(db: Db, boardId: string, imageId: string): Publication | undefined {
	const row = db
		.select({ publication: publications, name: users.name })
		.from(publications)
		.innerJoin(users, eq(users.id, publications.publishedBy))
		.where(and(eq(publications.boardId, boardId), eq(publications.imageId, imageId)))
		.get()
	if (!row) return undefined
	return {
		imageId: row.publication.imageId,
		publishedBy: { id: row.publication.publishedBy, name: row.name },
		createdAt: toIso(row.publication.createdAt)!,
	}
}

/** The board without what only its members should know (the budget cap). */
export function clientBoardView(board: Board): ClientBoard {
	const { budgetCap: _, ...rest } = board
	return rest
}

/**
 * `params` without what the settings hide: an explicit seed, a negative prompt. Other params
 * (aspect ratio, strength, factor…) say what the step did and are shown.
 */
function visibleParams(params: Record<string, unknown>, settings: ClientViewSettings) {
	const out = { ...params }
	if (!settings.showSeeds) delete out.seed
	if (!settings.showPrompts) delete out.negativePrompt
	return out
}

/**
 * An image's provenance as a client may read it: prompts, seed and cost only when shown; never the
 * worker host, the policy checks, the engine or the model (how the instance is run is not the
 * client's business).
 */
export function clientImageView(image: Image, settings: ClientViewSettings): ClientImage {
	const {
		worker: _w,
		checks: _c,
		backend: _b,
		model: _m,
		version: _v,
		requestedModel: _r,
		engine: _e,
		prompt,
		negativePrompt,
		seed,
		cost,
		...rest
	} = image
	return {
		...rest,
		params: visibleParams(image.params, settings),
		...(settings.showPrompts ? { prompt, negativePrompt } : {}),
		...(settings.showSeeds ? { seed } : {}),
		...(settings.showCosts ? { cost } : {}),
	}
}

/**
 * A lineage as a client may read it: only steps on visible images (a rerolled grid's step names
 * a whole grid, most of it unpublished), each stripped like `clientImageView`.
 */
export function clientLineageView(
	steps: LineageStep[],
	visible: ReadonlySet<string>,
	settings: ClientViewSettings,
): ClientLineageStep[] {
	const out: ClientLineageStep[] = []
	for (const step of steps) {
		if (step.imageId === null || !visible.has(step.imageId)) continue
		// Engine and model stay the team's, as on the client's image view.
		const { prompt, negativePrompt, seed, engine: _engine, model: _model, ...rest } = step
		out.push({
			...rest,
			imageId: step.imageId,
			params: visibleParams(step.params, settings),
			...(settings.showPrompts ? { prompt, negativePrompt } : {}),
			...(settings.showSeeds ? { seed } : {}),
		})
	}
	return out
}
