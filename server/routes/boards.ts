import { Hono } from 'hono'
import {
	BoardCreateSchema,
	BoardUpdateSchema,
	canEdit,
	MemberAddSchema,
	MemberRoleSchema,
} from '../../shared/api'
import type { BoardAccess } from '../../shared/clientView'
import { UserIdSchema } from '../../shared/ids'
import { InvitationParamSchema } from '../../shared/sharing'
import {
	boardCreate,
	boardMemberChangeRole,
	boardMemberRemove,
	boardUpdate,
} from '../commands/boards'
import { boardSpent } from '../commands/credits'
import { invitationRevoke, memberAdd } from '../commands/invitations'
import type { AppEnv } from '../context'
import { NotFound } from '../errors'
import { boardAccess, requireAccount, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { finalsArchive, zipHeaders } from '../queries/archives'
import { boardUsage } from '../queries/credits'
import { boardInvitationsOf, boardInvitationView } from '../queries/invitations'
import { boardLineage, imageLineage } from '../queries/lineage'
import { finalsOf } from '../queries/provenance'
import { clientBoardView, clientViewSettingsOf } from '../queries/publications'
import { boardsForUser, boardView, imageView, membersOf, person, userView } from '../queries/views'

export const boards = new Hono<AppEnv>()
	.use(requireUser)
	.get('/', requireAccount, (c) => c.json({ boards: boardsForUser(c.var.ctx.db, c.var.user.id) }))
	.post('/', requireAccount, validate('json', BoardCreateSchema), (c) => {
		const board = boardCreate(c.var.ctx.db, c.var.user, c.req.valid('json').name)
		// Open the doc now so it starts with its page and schema, before anyone connects.
		c.var.ctx.boards.getDoc(board.id)
		return c.json({ board: boardView(board) }, 201)
	})
	// Open to clients (the client view loads the board's name and settings here), minus the budget.
	.get('/:boardId', boardAccess('client'), (c) => {
		const board = boardView(c.var.board)
		return c.json({
			board: c.var.role === 'client' ? clientBoardView(board) : board,
			role: c.var.role,
			clientView: clientViewSettingsOf(c.var.board),
			owner: person(c.var.ctx.db, c.var.board.createdBy),
		} satisfies BoardAccess)
	})
	.patch('/:boardId', boardAccess('owner'), validate('json', BoardUpdateSchema), (c) =>
		c.json({ board: boardView(boardUpdate(c.var.ctx.db, c.var.board, c.req.valid('json'))) }),
	)
	.get('/:boardId/usage', boardAccess('editor'), (c) =>
		c.json({
			budgetCap: c.var.board.budgetCap,
			spent: boardSpent(c.var.ctx.db, c.var.board.id),
			...boardUsage(c.var.ctx.db, c.var.board.id),
		}),
	)
	.get('/:boardId/lineage.json', boardAccess('viewer'), (c) => {
		c.header('Content-Disposition', `attachment; filename="${c.var.board.id}-lineage.json"`)
		return c.json(boardLineage(c.var.ctx.db, c.var.board.id))
	})
	.get('/:boardId/finals', boardAccess('viewer'), (c) => {
		const { db } = c.var.ctx
		const finals = finalsOf(db, c.var.board.id).map((image) => ({
			image: imageView(db, image),
			lineage: imageLineage(db, c.var.board.id, image.id),
		}))
		return c.json({ finals })
	})
	.get('/:boardId/finals.zip', boardAccess('viewer'), (c) => {
		const { ctx, board } = c.var
		return c.body(finalsArchive(ctx, board.id), 200, zipHeaders(board.id, 'finals'))
	})
	.get('/:boardId/members', boardAccess('viewer'), (c) => {
		const withEmails = canEdit(c.var.role) && c.var.user.guestLinkId === null
		return c.json({ members: membersOf(c.var.ctx.db, c.var.board.id, { withEmails }) })
	})
	// Invites (or, for a current member, changes the role): the same answer whether or not an
	// account has the email. See `memberAdd`.
	.post('/:boardId/members', boardAccess('owner'), validate('json', MemberAddSchema), (c) => {
		const { ctx, board, user } = c.var
		const added = memberAdd(ctx, board, c.req.valid('json'), user.id)
		if (added.kind === 'member')
			return c.json({ member: { user: userView(added.user), role: added.role } }, 201)
		const invitation = boardInvitationView(added.invitation, person(ctx.db, user.id))
		return c.json({ invitation }, 201)
	})
	.get('/:boardId/invitations', boardAccess('owner'), (c) =>
		c.json({ invitations: boardInvitationsOf(c.var.ctx.db, c.var.board.id) }),
	)
	.delete(
		'/:boardId/invitations/:invitationId',
		boardAccess('owner'),
		validate('param', InvitationParamSchema),
		(c) => {
			const { invitationId } = c.req.valid('param')
			invitationRevoke(c.var.ctx, c.var.board, invitationId, c.var.user.id)
			return c.body(null, 204)
		},
	)
	.patch(
		'/:boardId/members/:userId',
		boardAccess('owner'),
		validate('json', MemberRoleSchema),
		(c) => {
			const userId = memberIdParam(c.req.param('userId'))
			return c.json({
				member: boardMemberChangeRole(
					c.var.ctx,
					c.var.board,
					userId,
					c.req.valid('json').role,
					c.var.user.id,
				),
			})
		},
	)
	.delete('/:boardId/members/:userId', boardAccess('owner'), (c) => {
		boardMemberRemove(c.var.ctx, c.var.board, memberIdParam(c.req.param('userId')), c.var.user.id)
		return c.body(null, 204)
	})

function memberIdParam(raw: string): string {
	if (!UserIdSchema.safeParse(raw).success) throw NotFound('The member')
	return raw
}
