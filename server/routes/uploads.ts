import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { CoordinateSchema } from '../../shared/coordinates'
import { UPLOAD_MAX_BYTES, uploadCreate, uploadSlot } from '../commands/uploads'
import type { AppEnv } from '../context'
import { errorBody } from '../errors'
import { boardAccess, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { imageView, jobView } from '../queries/views'

const UploadQuerySchema = z.object({
	x: z.coerce.number().pipe(CoordinateSchema).default(0),
	y: z.coerce.number().pipe(CoordinateSchema).default(0),
})

/** `POST /api/boards/:boardId/uploads?x=&y=` with the image file as the raw body. */
export const uploads = new Hono<AppEnv>().use(requireUser).post(
	'/',
	boardAccess('editor'),
	async function takeUploadSlot(c, next) {
		const release = uploadSlot(c.var.ctx, c.var.user)
		try {
			await next()
		} finally {
			release()
		}
	},
	bodyLimit({
		maxSize: UPLOAD_MAX_BYTES,
		onError: (c) =>
			c.json(
				errorBody(
					'payload_too_large',
					`Uploads are limited to ${UPLOAD_MAX_BYTES / 1024 / 1024} MiB.`,
				),
				413,
			),
	}),
	validate('query', UploadQuerySchema),
	async (c) => {
		const bytes = new Uint8Array(await c.req.arrayBuffer())
		const { x, y } = c.req.valid('query')
		const { job, image } = await uploadCreate(c.var.ctx, {
			board: c.var.board,
			user: c.var.user,
			bytes,
			at: { x, y },
		})
		return c.json({ job: jobView(c.var.ctx.db, job), image: imageView(c.var.ctx.db, image) }, 201)
	},
)
