import { Hono } from 'hono'
import { JobIdSchema } from '../../shared/ids'
import { JobCreateSchema } from '../../shared/ops/catalogue'
import { resolveJobRequest } from '../commands/jobInputs'
import { jobCancel, jobCreate, jobRetry } from '../commands/jobs'
import type { AppEnv } from '../context'
import { NotFound } from '../errors'
import { boardAccess, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { creditsOf } from '../queries/credits'
import { getJob, jobView } from '../queries/views'

function jobIdParam(raw: string): string {
	if (!JobIdSchema.safeParse(raw).success) throw NotFound('The job')
	return raw
}

export const jobs = new Hono<AppEnv>()
	.use(requireUser)
	.post('/', boardAccess('editor'), validate('json', JobCreateSchema), (c) => {
		const job = jobCreate(c.var.ctx, {
			board: c.var.board,
			user: c.var.user,
			input: c.req.valid('json'),
		})
		return c.json({ job: jobView(c.var.ctx.db, job) }, 202)
	})
	.post('/quote', boardAccess('editor'), validate('json', JobCreateSchema), (c) => {
		// What the job would cost and make, checked like a real request, without recording it.
		const { inputs } = resolveJobRequest(c.var.ctx, c.var.board, c.req.valid('json'))
		const { balance } = creditsOf(c.var.ctx.db, c.var.user, c.var.ctx.config.ARBOR_MONTHLY_CREDITS)
		return c.json({ price: inputs.cost, width: inputs.width, height: inputs.height, balance })
	})
	.get('/:jobId', boardAccess('viewer'), (c) => {
		const job = getJob(c.var.ctx.db, c.var.board.id, jobIdParam(c.req.param('jobId')))
		if (!job) throw NotFound('The job')
		return c.json({ job: jobView(c.var.ctx.db, job) })
	})
	.get('/:jobId/preview', boardAccess('viewer'), (c) => {
		// A running job's latest live preview, from memory (see PreviewStore); 404 once it ended.
		const job = getJob(c.var.ctx.db, c.var.board.id, jobIdParam(c.req.param('jobId')))
		const preview = job && c.var.ctx.previews.get(job.id)
		if (!preview) throw NotFound('The preview')
		return c.body(new Uint8Array(preview.bytes), 200, {
			'content-type': preview.mime,
			'cache-control': 'private, no-store',
		})
	})
	.post('/:jobId/cancel', boardAccess('editor'), (c) => {
		const { board, user, role } = c.var
		const job = jobCancel(c.var.ctx, { board, user, role, jobId: jobIdParam(c.req.param('jobId')) })
		return c.json({ job: jobView(c.var.ctx.db, job) })
	})
	.post('/:jobId/retry', boardAccess('editor'), (c) => {
		const { board, user, role } = c.var
		const job = jobRetry(c.var.ctx, { board, user, role, jobId: jobIdParam(c.req.param('jobId')) })
		return c.json({ job: jobView(c.var.ctx.db, job) }, 202)
	})
