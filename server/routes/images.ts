import { Hono } from 'hono'
import { ImageFileQuerySchema } from '../../shared/api'
import { imageFileName } from '../../shared/fileNames'
import { ImageIdSchema } from '../../shared/ids'
import { imagesPerRun, OPS, type OpName } from '../../shared/ops/catalogue'
import { stripPngMetadata } from '../../shared/provenance/pngStrip'
import type { AppEnv } from '../context'
import { NotFound } from '../errors'
import { boardAccess, requireUser } from '../middleware/auth'
import { validate } from '../middleware/validate'
import { clientVisibleImageIds } from '../queries/clientView'
import { imageLineage } from '../queries/lineage'
import { pngWithProvenance } from '../queries/provenance'
import { clientImageView, clientLineageView, clientViewSettingsOf } from '../queries/publications'
import { getImage, getJobById, type ImageRow, imageView } from '../queries/views'

/**
 * The same bytes, typed as Hono's body wants (`Uint8Array<ArrayBuffer>`): files and encodes are
 * never backed by a SharedArrayBuffer, and a view spares copying each response.
 */
const view = (bytes: Uint8Array) =>
	new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength)

type ImageContext = { var: AppEnv['Variables']; req: { param(name: 'imageId'): string } }

/**
 * The image named by `:imageId`. For a client, an image outside the client view is missing —
 * the same 404 as an id that never existed, so a client cannot even learn it exists.
 */
function imageOf(c: ImageContext) {
	const imageId = c.req.param('imageId')
	const { db } = c.var.ctx
	const image = ImageIdSchema.safeParse(imageId).success
		? getImage(db, c.var.board.id, imageId)
		: undefined
	if (!image) throw NotFound('The image')
	if (c.var.role === 'client' && !clientVisibleImageIds(db, c.var.board.id).has(image.id))
		throw NotFound('The image')
	return image
}

/**
 * The name a downloaded image is saved under: board, prompt, op and place, never a bare id. A
 * client whose owner hides prompts gets a name without one.
 */
function downloadName(c: ImageContext, image: ImageRow, ext: 'png' | 'webp'): string {
	const job = getJobById(c.var.ctx.db, image.jobId)
	const op = job?.op ?? ''
	const showPrompt = c.var.role !== 'client' || clientViewSettingsOf(c.var.board).showPrompts
	return imageFileName({
		boardName: c.var.board.name,
		prompt: showPrompt ? (job?.prompt ?? null) : null,
		op,
		index: image.index,
		slots: Object.hasOwn(OPS, op) ? imagesPerRun(op as OpName) : 1,
		imageId: image.id,
		ext,
	})
}

// Clients (role `client`) reach these three reads for the images of the client view, stripped of
// what the owner does not show; every other board route stays closed to them.
export const images = new Hono<AppEnv>()
	.use(requireUser)
	.get('/:imageId', boardAccess('client'), (c) => {
		const image = imageView(c.var.ctx.db, imageOf(c))
		if (c.var.role !== 'client') return c.json({ image })
		return c.json({ image: clientImageView(image, clientViewSettingsOf(c.var.board)) })
	})
	.get('/:imageId/lineage', boardAccess('client'), (c) => {
		const { db } = c.var.ctx
		const boardId = c.var.board.id
		const lineage = imageLineage(db, boardId, imageOf(c).id)
		if (c.var.role !== 'client') return c.json({ lineage })
		const visible = clientVisibleImageIds(db, boardId)
		return c.json({
			lineage: clientLineageView(lineage, visible, clientViewSettingsOf(c.var.board)),
		})
	})
	.get(
		'/:imageId/file',
		boardAccess('client'),
		validate('query', ImageFileQuerySchema),
		async (c) => {
			// Access first, on every request (a 304 too): a cached copy never stands in for it.
			const image = imageOf(c)
			const { size } = c.req.valid('query')
			const client = c.var.role === 'client'
			const full = size === 'full'
			const headers = {
				// Content-addressed: the bytes behind this URL never change, so the browser keeps them
				// and never asks again. Private: access is per user; a shared cache must not keep them.
				'Cache-Control': 'private, max-age=31536000, immutable',
				// A client's full-size copy differs from a member's: it must not validate against it.
				ETag: `"${image.sha256}-${size}${client && full ? '-bare' : ''}"`,
				// One URL, different bytes per account (a client's full size is bare): a browser that
				// signs in as someone else must not answer from the last account's copy.
				Vary: 'Cookie',
			}
			if (c.req.header('If-None-Match') === headers.ETag) return c.body(null, 304, headers)
			// Full size carries its provenance (A1111 `parameters` + `arbor` JSON) wherever it goes —
			// except to a client, who gets the pixels with no metadata at all (an upload may carry
			// another tool's prompt). Thumbnails are WebP re-encodes: sharp writes no metadata.
			const bytes = !full
				? await c.var.ctx.assets.read(image.sha256, size)
				: client
					? stripPngMetadata(new Uint8Array(await c.var.ctx.assets.read(image.sha256, 'full')))
					: await pngWithProvenance(c.var.ctx, image)
			return c.body(view(bytes), 200, {
				...headers,
				'Content-Type': full ? 'image/png' : 'image/webp',
				'X-Content-Type-Options': 'nosniff',
				'Content-Security-Policy': "default-src 'none'; sandbox",
				'Content-Disposition': `${c.req.query('download') ? 'attachment' : 'inline'}; filename="${downloadName(c, image, full ? 'png' : 'webp')}"`,
			})
		},
	)
