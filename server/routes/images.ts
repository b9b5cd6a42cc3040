import { Hono } from 'hono'
import { ImageFileQuerySchema } from '../../shared/api'
import { ImageIdSchema } from '../../shared/ids'
import type { AppEnv } from '../context'
import { NotFound } from '../errors'
import { boardAccess, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { imageLineage } from '../queries/lineage'
import { pngWithProvenance } from '../queries/provenance'
import { getImage, imageView } from '../queries/views'

function imageOf(c: { var: AppEnv['Variables']; req: { param(name: 'imageId'): string } }) {
	const imageId = c.req.param('imageId')
	const image = ImageIdSchema.safeParse(imageId).success
		? getImage(c.var.ctx.db, c.var.board.id, imageId)
		: undefined
	if (!image) throw NotFound('The image')
	return image
}

export const images = new Hono<AppEnv>()
	.use(requireUser)
	.get('/:imageId', boardAccess('viewer'), (c) =>
		c.json({ image: imageView(c.var.ctx.db, imageOf(c)) }),
	)
	.get('/:imageId/lineage', boardAccess('viewer'), (c) =>
		c.json({ lineage: imageLineage(c.var.ctx.db, c.var.board.id, imageOf(c).id) }),
	)
	.get(
		'/:imageId/file',
		boardAccess('viewer'),
		validate('query', ImageFileQuerySchema),
		async (c) => {
			const image = imageOf(c)
			const { size } = c.req.valid('query')
			// Full size carries its provenance (A1111 `parameters` + `arbor` JSON) wherever it goes.
			const bytes =
				size === 'full'
					? await pngWithProvenance(c.var.ctx, image)
					: await c.var.ctx.assets.read(image.sha256, size)
			return c.body(new Uint8Array(bytes), 200, {
				'Content-Type': size === 'full' ? 'image/png' : 'image/webp',
				// Content-addressed: the bytes behind this URL never change. Private: access is per user.
				'Cache-Control': 'private, max-age=31536000, immutable',
				ETag: `"${image.sha256}-${size}"`,
				'X-Content-Type-Options': 'nosniff',
				'Content-Security-Policy': "default-src 'none'; sandbox",
				'Content-Disposition': `${c.req.query('download') ? 'attachment' : 'inline'}; filename="${image.id}.${size === 'full' ? 'png' : 'webp'}"`,
			})
		},
	)
