import { Hono } from 'hono'
import { OpNameSchema } from '../../shared/ops/catalogue'
import { WorkflowSaveSchema } from '../../shared/workflows'
import { workflowRemove, workflowSave, workflowsList } from '../commands/workflows'
import type { AppEnv } from '../context'
import { NotFound } from '../errors'
import { validate } from '../middleware/validate'

function opParam(op: string) {
	const parsed = OpNameSchema.safeParse(op)
	if (!parsed.success) throw NotFound(`An op named ${op}`)
	return parsed.data
}

/**
 * `/api/admin/workflows` (admin only, behind the admin router's guard): a team's own ComfyUI
 * graph per op. `PUT /:op {name, graph, bindings}` checks it against ComfyUI's `/object_info`.
 */
export const workflows = new Hono<AppEnv>()
	.get('/', (c) => c.json({ workflows: workflowsList(c.var.ctx.db) }))
	.put('/:op', validate('json', WorkflowSaveSchema), async (c) => {
		const workflow = await workflowSave(c.var.ctx, {
			user: c.var.user,
			op: opParam(c.req.param('op')),
			input: c.req.valid('json'),
		})
		return c.json({ workflow })
	})
	.delete('/:op', (c) => {
		workflowRemove(c.var.ctx.db, opParam(c.req.param('op')))
		return c.body(null, 204)
	})
