import { Hono } from 'hono'
import { ShareLinkIdSchema } from '../../shared/ids'
import { ShareLinkCreateSchema } from '../../shared/sharing'
import { shareLinkCreate, shareLinkRevoke } from '../commands/shareLinks'
import type { AppEnv } from '../context'
import { NotFound } from '../errors'
import { boardAccess, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { shareLinksOf } from '../queries/shareLinks'

/**
 * Where the client is served, for share urls: the origin this request reached (its Host header).
 * Behind a proxy, forward the Host header so links point at the public address.
 */
const originOf = (url: string) => new URL(url).origin

/** `/api/boards/:boardId/share-links`: the owner makes, lists and revokes share links. */
export const shareLinks = new Hono<AppEnv>()
	.use(requireUser)
	.get('/', boardAccess('owner'), (c) =>
		c.json({ links: shareLinksOf(c.var.ctx.db, c.var.board.id) }),
	)
	.post('/', boardAccess('owner'), validate('json', ShareLinkCreateSchema), (c) => {
		const link = shareLinkCreate(c.var.ctx.db, {
			board: c.var.board,
			user: c.var.user,
			input: c.req.valid('json'),
			origin: originOf(c.req.url),
		})
		return c.json({ link }, 201)
	})
	.delete('/:linkId', boardAccess('owner'), (c) => {
		const linkId = c.req.param('linkId')
		if (!ShareLinkIdSchema.safeParse(linkId).success) throw NotFound('The share link')
		shareLinkRevoke(c.var.ctx, { board: c.var.board, user: c.var.user, linkId })
		return c.body(null, 204)
	})
