import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { boardAccess, requireUser } from '../middleware/auth'
import { boardQueueView } from '../queries/queue'

/** `GET /api/boards/:boardId/queue`: the board's pending and running jobs (the queue panel). */
export const queue = new Hono<AppEnv>()
	.use(requireUser)
	.get('/', boardAccess('viewer'), (c) =>
		c.json(boardQueueView(c.var.ctx, { board: c.var.board, user: c.var.user, role: c.var.role })),
	)
