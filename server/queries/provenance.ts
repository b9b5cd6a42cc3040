import { and, asc, eq } from 'drizzle-orm'
import { type ArborProvenanceInput, provenanceTextChunks } from '../../shared/provenance/arbor'
import { writePngTextChunks } from '../../shared/provenance/pngText'
import type { AppContext } from '../context'
import type { Db } from '../db/client'
import { images, jobs } from '../db/schema'
import { toIso } from '../ids'
import { getImage, type ImageRow, imageView } from './views'

/** Everything the `arbor` PNG chunk says about an image. */
export function provenanceOf(db: Db, image: ImageRow): ArborProvenanceInput {
	const view = imageView(db, image)
	const job = db.select().from(jobs).where(eq(jobs.id, image.jobId)).get()!
	const parent = job.parentImageId ? getImage(db, image.boardId, job.parentImageId) : undefined
	return {
		format: 'arbor.provenance',
		v: 1,
		imageId: image.id,
		boardId: image.boardId,
		jobId: image.jobId,
		index: image.index,
		op: view.op,
		opVersion: view.opVersion,
		prompt: view.prompt,
		negativePrompt: view.negativePrompt,
		params: view.params,
		seed: image.seed,
		width: image.width,
		height: image.height,
		parents: parent ? [{ imageId: parent.id, sha256: parent.sha256 }] : [],
		backend: image.backend,
		model: image.model,
		version: image.version,
		engine: image.engineRecord ?? null,
		createdBy: view.createdBy,
		createdAt: toIso(image.createdAt)!,
		cost: view.cost,
		checks: job.checks,
	}
}

/** The full-size PNG as Arbor serves it: pixels untouched, provenance in text chunks. */
export async function pngWithProvenance(ctx: AppContext, image: ImageRow): Promise<Uint8Array> {
	const png = await ctx.assets.read(image.sha256, 'full')
	return writePngTextChunks(new Uint8Array(png), provenanceTextChunks(provenanceOf(ctx.db, image)))
}

/** The board's finals: every image made by a commit op (upscale) that finished. */
export function finalsOf(db: Db, boardId: string): ImageRow[] {
	return db
		.select({ image: images })
		.from(images)
		.innerJoin(jobs, eq(jobs.id, images.jobId))
		.where(and(eq(images.boardId, boardId), eq(jobs.op, 'upscale'), eq(jobs.status, 'done')))
		.orderBy(asc(images.createdAt))
		.all()
		.map((r) => r.image)
}
