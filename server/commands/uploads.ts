import { stat } from 'node:fs/promises'
import { and, eq } from 'drizzle-orm'
import sharp, { type Metadata } from 'sharp'
import { jobShapeIds } from '../../shared/records'
import { canvasWriteOwed } from '../canvas/canvasOutbox'
import type { AppContext, BoardRow, UserRow } from '../context'
import { images, jobs } from '../db/schema'
import { AppError, TooManyAttempts } from '../errors'
import { newId } from '../ids'

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024
/**
 * Uploads are kept as PNG (what every engine reads), at most this long on an edge: the largest
 * parent steering feeds a model, and a photo stays near its JPEG's size instead of growing 5–7×.
 */
const MAX_EDGE = 2048
const MIN_EDGE = 16
const FORMATS = new Set(['png', 'jpeg', 'webp'])

export const UPLOAD_INFO = { backend: 'upload', model: 'user-upload', version: '1' } as const

/** Decodes an upload for real (not by its name or type header) and normalizes it to PNG. */
async function readImage(bytes: Uint8Array) {
	let meta: Metadata
	try {
		meta = await sharp(bytes).metadata()
	} catch {
		throw new AppError(
			'unprocessable',
			'That file is not an image we can read: upload a PNG, JPEG or WebP.',
		)
	}
	if (!meta.format || !FORMATS.has(meta.format) || !meta.width || !meta.height)
		throw new AppError(
			'unprocessable',
			`Images must be PNG, JPEG or WebP; this is ${meta.format ?? 'unknown'}.`,
		)
	if (Math.min(meta.width, meta.height) < MIN_EDGE)
		throw new AppError('unprocessable', `Images must be at least ${MIN_EDGE} pixels on each side.`)
	// Larger images are scaled to fit: nothing downstream needs more, and pixels cost memory.
	let png: { data: Buffer; info: { width: number; height: number } }
	try {
		png = await sharp(bytes)
			.rotate()
			.resize(MAX_EDGE, MAX_EDGE, { fit: 'inside', withoutEnlargement: true })
			.removeAlpha()
			.png()
			.toBuffer({ resolveWithObject: true })
	} catch {
		// The header read fine but the pixels do not: a truncated or corrupt file.
		throw new AppError('unprocessable', 'That image is damaged or cut short: upload it again.')
	}
	return { png: new Uint8Array(png.data), width: png.info.width, height: png.info.height }
}

/** Who an upload limit counts against: guests of one link share their link's limits. */
const uploaderKey = (user: UserRow) =>
	user.guestLinkId === null ? `user:${user.id}` : `link:${user.guestLinkId}`

/**
 * Takes one of the uploader's upload slots (ARBOR_UPLOADS_AT_ONCE running, ARBOR_UPLOADS_PER_MINUTE
 * started), before the body is read; 429 with `Retry-After` when none is free. Call the returned
 * function when the upload is done.
 */
export function uploadSlot(ctx: Pick<AppContext, 'config' | 'limits'>, user: UserRow): () => void {
	const key = uploaderKey(user)
	const { uploadRate, uploadsRunning } = ctx.limits
	const wait = uploadRate.retryAfterMs(key)
	if (wait > 0) throw TooManyAttempts(wait, 'You are uploading quickly.')
	const running = uploadsRunning.get(key) ?? 0
	if (running >= ctx.config.ARBOR_UPLOADS_AT_ONCE)
		throw TooManyAttempts(1000, `Up to ${ctx.config.ARBOR_UPLOADS_AT_ONCE} uploads at once.`)
	uploadRate.record(key)
	uploadsRunning.set(key, running + 1)
	let released = false
	return () => {
		if (released) return
		released = true
		const left = (uploadsRunning.get(key) ?? 1) - 1
		if (left > 0) uploadsRunning.set(key, left)
		else uploadsRunning.delete(key)
	}
}

/** Bytes the board's uploads take in the asset store (each distinct file once). */
async function uploadBytesOf(ctx: AppContext, boardId: string): Promise<number> {
	const rows = ctx.db
		.selectDistinct({ sha256: images.sha256 })
		.from(images)
		.innerJoin(jobs, eq(jobs.id, images.jobId))
		.where(and(eq(images.boardId, boardId), eq(jobs.op, 'upload')))
		.all()
	const sizes = await Promise.all(
		rows.map((r) =>
			stat(ctx.assets.path(r.sha256, 'full')).then(
				(s) => s.size,
				// A file already gone (pruned by hand) takes no room.
				() => 0,
			),
		),
	)
	return sizes.reduce((a, b) => a + b, 0)
}

/**
 * An image a person dropped on the board: recorded as a finished `upload` job with one image (the
 * root of whatever is branched from it), and shown as a single-image node at `at`.
 */
export async function uploadCreate(
	ctx: AppContext,
	options: { board: BoardRow; user: UserRow; bytes: Uint8Array; at: { x: number; y: number } },
) {
	const { board, user } = options
	const { png, width, height } = await readImage(options.bytes)
	const quota = ctx.config.ARBOR_UPLOAD_QUOTA_MB * 1024 * 1024
	if ((await uploadBytesOf(ctx, board.id)) + png.length > quota)
		throw new AppError(
			'payload_too_large',
			`This board's uploads are limited to ${ctx.config.ARBOR_UPLOAD_QUOTA_MB} MiB; remove some or use another board.`,
		)
	const sha256 = await ctx.assets.putPng(png)
	const jobId = newId('job')
	const now = Date.now()
	const uploaded = ctx.db.transaction((tx) => {
		const job = tx
			.insert(jobs)
			.values({
				id: jobId,
				boardId: board.id,
				op: 'upload',
				opVersion: 1,
				status: 'done',
				prompt: '',
				params: {},
				seeds: [0],
				width,
				height,
				cost: 0,
				createdBy: user.id,
				startedAt: now,
				finishedAt: now,
			})
			.returning()
			.get()
		const image = tx
			.insert(images)
			.values({
				id: newId('image'),
				boardId: board.id,
				jobId,
				index: 0,
				seed: 0,
				width,
				height,
				sha256,
				...UPLOAD_INFO,
			})
			.returning()
			.get()
		canvasWriteOwed(tx, job, { kind: 'upload', at: options.at })
		return { job, image, nodeId: jobShapeIds(jobId).node }
	})
	ctx.canvas.drain()
	return uploaded
}
