import { Hono } from 'hono'
import { ImageIdSchema } from '../../shared/ids'
import { ClientViewUpdateSchema } from '../../shared/sharing'
import { clientViewUpdate, publicationAdd, publicationRemove } from '../commands/publications'
import type { AppEnv } from '../context'
import { NotFound } from '../errors'
import { boardAccess, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { publishedImageIds } from '../queries/clientView'
import { clientViewSettingsOf } from '../queries/publications'

function imageIdParam(raw: string): string {
	if (!ImageIdSchema.safeParse(raw).success) throw NotFound('The image')
	return raw
}

/**
 * The client view, mounted at `/boards/:boardId`: what is published (owners publish, editors
 * see the list) and what clients see beyond the pictures.
 */
export const publications = new Hono<AppEnv>()
	// Per route, not `.use`: mounted at the board's root, a `.use` would run for every board path.
	.get('/publications', requireUser, boardAccess('editor'), (c) =>
		c.json({
			imageIds: publishedImageIds(c.var.ctx.db, c.var.board.id),
			settings: clientViewSettingsOf(c.var.board),
		}),
	)
	.put('/publications/:imageId', requireUser, boardAccess('owner'), (c) => {
		const { ctx, board, user } = c.var
		const imageId = imageIdParam(c.req.param('imageId'))
		return c.json({ publication: publicationAdd(ctx, { board, user, imageId }) })
	})
	.delete('/publications/:imageId', requireUser, boardAccess('owner'), (c) => {
		const { ctx, board, user } = c.var
		publicationRemove(ctx, { board, user, imageId: imageIdParam(c.req.param('imageId')) })
		return c.body(null, 204)
	})
	.patch(
		'/client-view',
		requireUser,
		boardAccess('owner'),
		validate('json', ClientViewUpdateSchema),
		(c) => {
			const { ctx, board, user } = c.var
			return c.json({
				settings: clientViewUpdate(ctx, { board, user, patch: c.req.valid('json') }),
			})
		},
	)
