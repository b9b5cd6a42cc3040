import { Hono } from 'hono'
import { InvitationParamSchema } from '../../shared/sharing'
import { invitationAccept, invitationDecline } from '../commands/invitations'
import type { AppEnv } from '../context'
import { requireAccount, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { invitationsFor } from '../queries/invitations'
import { boardView } from '../queries/views'

// The signed-in person's invitations to boards: read, accept, decline. Mounted at
// `/api/invitations`. A board's owner lists and withdraws its invitations under the board.

export const invitations = new Hono<AppEnv>()
	.use(requireUser, requireAccount)
	.get('/', (c) => c.json({ invitations: invitationsFor(c.var.ctx.db, c.var.user) }))
	.post('/:invitationId/accept', validate('param', InvitationParamSchema), (c) => {
		const { invitationId } = c.req.valid('param')
		const { board, role } = invitationAccept(c.var.ctx, c.var.user, invitationId)
		return c.json({ board: boardView(board), role })
	})
	.post('/:invitationId/decline', validate('param', InvitationParamSchema), (c) => {
		invitationDecline(c.var.ctx, c.var.user, c.req.valid('param').invitationId)
		return c.body(null, 204)
	})
