import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../context'
import { boardAccess, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { auditOf } from '../queries/audit'

const AuditQuerySchema = z.object({
	limit: z.coerce.number().int().min(1).max(500).optional(),
	/** An entry id: the page of entries older than it. */
	before: z.coerce.number().int().positive().optional(),
})

/** `GET /api/boards/:boardId/audit`: who changed access, review and publication; owners only. */
export const audit = new Hono<AppEnv>()
	.use(requireUser)
	.get('/', boardAccess('owner'), validate('query', AuditQuerySchema), (c) =>
		c.json({ entries: auditOf(c.var.ctx.db, c.var.board.id, c.req.valid('query')) }),
	)
