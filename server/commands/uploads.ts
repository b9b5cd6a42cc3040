import sharp, { type Metadata } from 'sharp'
import { jobShapeIds } from '../../shared/records'
import { canvasWriteOwed } from '../canvas/canvasOutbox'
import type { AppContext, BoardRow, UserRow } from '../context'
import { images, jobs } from '../db/schema'
import { AppError } from '../errors'
import { newId } from '../ids'

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024
const MAX_EDGE = 4096
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
	const png = await sharp(bytes)
		.rotate()
		.resize(MAX_EDGE, MAX_EDGE, { fit: 'inside', withoutEnlargement: true })
		.removeAlpha()
		.png()
		.toBuffer({ resolveWithObject: true })
	return { png: new Uint8Array(png.data), width: png.info.width, height: png.info.height }
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
