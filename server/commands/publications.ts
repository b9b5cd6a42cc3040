import { and, eq } from 'drizzle-orm'
import type { Publication } from '../../shared/clientView'
import type { ClientViewSettings } from '../../shared/sharing'
import type { AppContext, BoardRow, UserRow } from '../context'
import { boards, publications } from '../db/schema'
import { NotFound } from '../errors'
import { clientViewSettingsOf, getPublication } from '../queries/publications'
import { getImage } from '../queries/views'
import { recordAudit } from './audit'

// Writes of the client view. Each one commits with its audit record, then rebuilds the board's
// projection so connected clients see the change at once.

function requireImage(ctx: AppContext, board: BoardRow, imageId: string) {
	// An image of another board is as missing as one that never existed.
	const image = getImage(ctx.db, board.id, imageId)
	if (!image) throw NotFound('The image')
	return image
}

/**
 * Publishes an image to the board's client view (with its lineage path, which clients then see
 * too). Publishing twice keeps the first publication and writes no second audit record.
 */
export function publicationAdd(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; imageId: string },
): Publication {
	const { board, user } = options
	const image = requireImage(ctx, board, options.imageId)
	ctx.db.transaction((tx) => {
		const added = tx
			.insert(publications)
			.values({ boardId: board.id, imageId: image.id, publishedBy: user.id })
			.onConflictDoNothing()
			.returning()
			.all()
		if (added.length === 0) return
		recordAudit(tx, {
			boardId: board.id,
			actorId: user.id,
			action: 'publication.added',
			target: image.id,
		})
	})
	ctx.projections.refresh(board.id)
	return getPublication(ctx.db, board.id, image.id)!
}

/**
 * Takes an image off the client view: it, and every ancestor no other publication still leads
 * to, leave connected clients' canvases. Unpublishing what is not published changes nothing.
 */
export function publicationRemove(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; imageId: string },
): void {
	const { board, user } = options
	const image = requireImage(ctx, board, options.imageId)
	const removed = ctx.db.transaction((tx) => {
		const rows = tx
			.delete(publications)
			.where(and(eq(publications.boardId, board.id), eq(publications.imageId, image.id)))
			.returning()
			.all()
		if (rows.length === 0) return false
		recordAudit(tx, {
			boardId: board.id,
			actorId: user.id,
			action: 'publication.removed',
			target: image.id,
		})
		return true
	})
	if (removed) ctx.projections.refresh(board.id)
}

const COLUMNS = {
	showPrompts: 'clientShowPrompts',
	showSeeds: 'clientShowSeeds',
	showCosts: 'clientShowCosts',
	allowComments: 'clientAllowComments',
} as const satisfies Record<keyof ClientViewSettings, keyof BoardRow>

/**
 * Changes what clients see beyond the pictures (prompts, seeds, costs) and whether they may
 * comment. The audit record names each setting that changed, before and after; a patch that
 * changes nothing writes nothing.
 */
export function clientViewUpdate(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; patch: Partial<ClientViewSettings> },
): ClientViewSettings {
	const { board, user, patch } = options
	const before = clientViewSettingsOf(board)
	const changes: Record<string, { from: boolean; to: boolean }> = {}
	const set: Partial<Pick<BoardRow, (typeof COLUMNS)[keyof typeof COLUMNS]>> = {}
	for (const key of Object.keys(COLUMNS) as (keyof ClientViewSettings)[]) {
		const to = patch[key]
		if (to === undefined || to === before[key]) continue
		changes[key] = { from: before[key], to }
		set[COLUMNS[key]] = to
	}
	if (Object.keys(changes).length === 0) return before
	const updated = ctx.db.transaction((tx) => {
		const row = tx.update(boards).set(set).where(eq(boards.id, board.id)).returning().get()
		recordAudit(tx, {
			boardId: board.id,
			actorId: user.id,
			action: 'client_view.updated',
			detail: { changes },
		})
		return row
	})
	ctx.projections.refresh(board.id)
	return clientViewSettingsOf(updated)
}
