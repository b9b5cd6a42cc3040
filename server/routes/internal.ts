import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { MAX_PREVIEW_BYTES } from '../../engines/previews'
import { ImageIdSchema, JobIdSchema } from '../../shared/ids'
import {
	JobCompleteSchema,
	JobFailSchema,
	MAX_OUTPUT_BYTES,
	OutputIndexSchema,
	ProgressReportSchema,
	WorkerHeartbeatSchema,
} from '../../shared/internalApi'
import {
	workerJobComplete,
	workerJobFail,
	workerJobHandBack,
	workerJobImage,
	workerJobPreview,
	workerJobProgress,
	workerJobStart,
	workerJobUpload,
} from '../commands/workerJobs'
import { AppError, NotFound } from '../errors'
import { validate } from '../middleware/validate'
import { type InternalEnv, workerAuth } from '../middleware/workerAuth'

const MAX_JSON_BYTES = 64 * 1024

function jobIdParam(raw: string): string {
	if (!JobIdSchema.safeParse(raw).success) throw NotFound('The job')
	return raw
}

const limit = (maxSize: number) =>
	bodyLimit({
		maxSize,
		onError: () => {
			throw new AppError('payload_too_large', `This body is limited to ${maxSize} bytes.`)
		},
	})

/**
 * The internal API for queue-mode workers (`/internal/*`): they fetch payloads and inputs, report
 * progress and upload outputs here, never touching the database. Every request carries the
 * worker token and the worker's identity.
 */
export function createInternalApi(token: string | undefined) {
	return new Hono<InternalEnv>()
		.use(workerAuth(token))
		.post(
			'/workers/heartbeat',
			limit(MAX_JSON_BYTES),
			validate('json', WorkerHeartbeatSchema),
			(c) => {
				c.var.ctx.workers.heartbeat(c.var.worker, c.req.valid('json'))
				// Models may have come online (or gone): "no worker serves …" notices follow.
				c.var.ctx.progress.publish()
				return c.body(null, 204)
			},
		)
		.post('/jobs/:jobId/start', (c) =>
			c.json(workerJobStart(c.var.ctx, jobIdParam(c.req.param('jobId')))),
		)
		.get('/jobs/:jobId/images/:imageId', async (c) => {
			const imageId = c.req.param('imageId')
			if (!ImageIdSchema.safeParse(imageId).success) throw NotFound('The image')
			const png = await workerJobImage(c.var.ctx, jobIdParam(c.req.param('jobId')), imageId)
			return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png' })
		})
		.post(
			'/jobs/:jobId/progress',
			limit(MAX_JSON_BYTES),
			validate('json', ProgressReportSchema),
			(c) => {
				const { fraction } = c.req.valid('json')
				return c.json(workerJobProgress(c.var.ctx, jobIdParam(c.req.param('jobId')), fraction))
			},
		)
		.put('/jobs/:jobId/preview', limit(MAX_PREVIEW_BYTES), async (c) => {
			const jobId = jobIdParam(c.req.param('jobId'))
			const bytes = new Uint8Array(await c.req.arrayBuffer())
			if (bytes.byteLength === 0) throw new AppError('bad_request', 'The preview is empty.')
			return c.json(workerJobPreview(c.var.ctx, jobId, bytes))
		})
		.put('/jobs/:jobId/outputs/:index', limit(MAX_OUTPUT_BYTES), async (c) => {
			const jobId = jobIdParam(c.req.param('jobId'))
			if (!OutputIndexSchema.safeParse(c.req.param('index')).success) throw NotFound('The output')
			const png = new Uint8Array(await c.req.arrayBuffer())
			return c.json(await workerJobUpload(c.var.ctx, jobId, png))
		})
		.post(
			'/jobs/:jobId/complete',
			limit(MAX_JSON_BYTES),
			validate('json', JobCompleteSchema),
			async (c) => {
				const jobId = jobIdParam(c.req.param('jobId'))
				return c.json(await workerJobComplete(c.var.ctx, jobId, c.req.valid('json'), c.var.worker))
			},
		)
		.post('/jobs/:jobId/fail', limit(MAX_JSON_BYTES), validate('json', JobFailSchema), (c) => {
			const { reason, final } = c.req.valid('json')
			workerJobFail(c.var.ctx, jobIdParam(c.req.param('jobId')), reason, final)
			return c.body(null, 204)
		})
		.post('/jobs/:jobId/hand-back', (c) => {
			workerJobHandBack(c.var.ctx, jobIdParam(c.req.param('jobId')))
			return c.body(null, 204)
		})
}
