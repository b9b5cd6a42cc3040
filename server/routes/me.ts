import { Hono } from 'hono'
import type { AppEnv } from '../context'
import { requireAccount, requireUser } from '../middleware/auth'
import { creditsOf, userUsage } from '../queries/credits'
import { userView } from '../queries/views'

export const me = new Hono<AppEnv>()
	.use(requireUser)
	.get('/', (c) =>
		c.json({
			user: userView(c.var.user),
			credits: creditsOf(c.var.ctx.db, c.var.user, c.var.ctx.config.ARBOR_MONTHLY_CREDITS),
		}),
	)
	.get('/usage', requireAccount, (c) => c.json({ usage: userUsage(c.var.ctx.db, c.var.user.id) }))
