import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import { CreditGrantSchema, PolicyRuleCreateSchema, UserLimitsSchema } from '../../shared/api'
import { UserIdSchema } from '../../shared/ids'
import { type AdminModelsReply, ModelPriceSetSchema } from '../../shared/modelPrices'
import { OPS } from '../../shared/ops/catalogue'
import { creditsAdjust } from '../commands/credits'
import { modelPriceSet } from '../commands/modelPrices'
import { policyRuleAdd, policyRuleRemove, policyRulesList } from '../commands/policy'
import { userSetLimits } from '../commands/users'
import type { AppEnv } from '../context'
import { users } from '../db/schema'
import { Forbidden, NotFound } from '../errors'
import { requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { adminUserList, creditsOf } from '../queries/credits'
import { adminModelList } from '../queries/modelPrices'
import { workflows } from './workflows'

const requireAdmin = createMiddleware<AppEnv>(async function requireAdmin(c, next) {
	if (!c.var.user.isAdmin) throw Forbidden('Only an instance admin can do this.')
	await next()
})

function targetUser(c: { var: AppEnv['Variables']; req: { param(name: 'userId'): string } }) {
	const userId = c.req.param('userId')
	const user = UserIdSchema.safeParse(userId).success
		? c.var.ctx.db.select().from(users).where(eq(users.id, userId)).get()
		: undefined
	if (!user) throw NotFound('The user')
	return user
}

const modelsReply = (c: { var: AppEnv['Variables'] }): AdminModelsReply => ({
	cataloguePrice: OPS.imagine.cost,
	models: adminModelList(c.var.ctx.db, c.var.ctx.engines.list()),
})

/** Instance administration: users, balances, grants, allowances, model prices. */
export const admin = new Hono<AppEnv>()
	.use(requireUser, requireAdmin)
	.get('/users', (c) =>
		c.json({ users: adminUserList(c.var.ctx.db, c.var.ctx.config.ARBOR_MONTHLY_CREDITS) }),
	)
	.post('/users/:userId/credits', validate('json', CreditGrantSchema), (c) => {
		const user = targetUser(c)
		const { amount, note } = c.req.valid('json')
		const entry = creditsAdjust(c.var.ctx.db, {
			userId: user.id,
			amount,
			actorId: c.var.user.id,
			note: note || `${amount > 0 ? 'Granted' : 'Adjusted'} by ${c.var.user.name}`,
		})
		return c.json(
			{ entry, credits: creditsOf(c.var.ctx.db, user, c.var.ctx.config.ARBOR_MONTHLY_CREDITS) },
			201,
		)
	})
	.patch('/users/:userId', validate('json', UserLimitsSchema), (c) => {
		const user = userSetLimits(c.var.ctx.db, targetUser(c).id, c.req.valid('json'))
		return c.json({ user: { id: user.id, monthlyAllowance: user.monthlyAllowance } })
	})
	.get('/policy', (c) => c.json({ rules: policyRulesList(c.var.ctx.db) }))
	.post('/policy', validate('json', PolicyRuleCreateSchema), (c) =>
		c.json({ rule: policyRuleAdd(c.var.ctx.db, c.req.valid('json'), c.var.user.id) }, 201),
	)
	.delete('/policy/:ruleId', (c) => {
		const id = Number(c.req.param('ruleId'))
		if (!Number.isInteger(id)) throw NotFound('The policy rule')
		policyRuleRemove(c.var.ctx.db, id)
		return c.body(null, 204)
	})
	// What a prompt costs on each model: online models and priced ones (set or reset with PUT).
	.get('/model-prices', (c) => c.json(modelsReply(c)))
	.put('/model-prices', validate('json', ModelPriceSetSchema), (c) => {
		modelPriceSet(c.var.ctx.db, { ...c.req.valid('json'), actorId: c.var.user.id })
		return c.json(modelsReply(c))
	})
	.route('/workflows', workflows)
