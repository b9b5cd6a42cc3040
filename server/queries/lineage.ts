import { asc, eq } from 'drizzle-orm'
import type { LineageStep } from '../../shared/api'
import type { Db } from '../db/client'
import { images, jobs, users } from '../db/schema'
import { toIso } from '../ids'
import { getImage, getJobById, type ImageRow } from './views'

/** Ancestry never gets this deep by hand; the bound only guards against a corrupted cycle. */
const MAX_DEPTH = 1000

/**
 * An image's ancestor chain, root first: each step names the image, the job that made it, and
 * the op and params of that step (a rerolled grid's step has no single image: `imageId` null).
 */
export function imageLineage(db: Db, boardId: string, imageId: string) {
	const chain: LineageStep[] = []
	let image = getImage(db, boardId, imageId)
	let job = image ? getJobById(db, image.jobId) : undefined
	for (let depth = 0; job && depth < MAX_DEPTH; depth++) {
		chain.push(stepOf(job, image))
		if (job.parentImageId) {
			image = getImage(db, boardId, job.parentImageId)
			job = image ? getJobById(db, image.jobId) : undefined
		} else if (job.parentJobId) {
			// A reroll re-makes a whole grid: its ancestor is that grid's job, not one image.
			image = undefined
			job = getJobById(db, job.parentJobId)
		} else job = undefined
	}
	return chain.reverse()
}

function stepOf(job: typeof jobs.$inferSelect, image: ImageRow | undefined): LineageStep {
	return {
		imageId: image?.id ?? null,
		jobId: job.id,
		index: image?.index ?? null,
		op: job.op,
		opVersion: job.opVersion,
		prompt: job.prompt,
		negativePrompt: job.negativePrompt,
		params: job.params,
		// A seed the engine ignored (OpenAI-style) would reproduce nothing: none is shown.
		seed: image?.engineRecord?.extras?.seedsHonoured === false ? null : (image?.seed ?? null),
		width: image?.width ?? job.width,
		height: image?.height ?? job.height,
		engine: image?.backend ?? null,
		model: image?.model ?? job.model ?? null,
		createdAt: toIso(image?.createdAt ?? job.createdAt)!,
	}
}

/** The whole derivation DAG of a board: jobs and their images as nodes, parent links as edges. */
export function boardLineage(db: Db, boardId: string) {
	const rows = db
		.select({ job: jobs, author: users.name })
		.from(jobs)
		.innerJoin(users, eq(users.id, jobs.createdBy))
		.where(eq(jobs.boardId, boardId))
		.orderBy(asc(jobs.createdAt))
		.all()
	const imageRows = db
		.select()
		.from(images)
		.where(eq(images.boardId, boardId))
		.orderBy(asc(images.index))
		.all()
	const byJob = new Map<string, typeof imageRows>()
	for (const image of imageRows) byJob.set(image.jobId, [...(byJob.get(image.jobId) ?? []), image])
	const nodes = rows.map(({ job, author }) => ({
		jobId: job.id,
		op: job.op,
		opVersion: job.opVersion,
		status: job.status,
		prompt: job.prompt,
		negativePrompt: job.negativePrompt,
		params: job.params,
		seeds: job.seeds,
		width: job.width,
		height: job.height,
		cost: job.cost,
		checks: job.checks,
		createdBy: { id: job.createdBy, name: author },
		createdAt: toIso(job.createdAt),
		parentImageId: job.parentImageId,
		parentJobId: job.parentJobId,
		images: (byJob.get(job.id) ?? []).map((i) => ({
			id: i.id,
			index: i.index,
			seed: i.seed,
			width: i.width,
			height: i.height,
			sha256: i.sha256,
			backend: i.backend,
			model: i.model,
			version: i.version,
		})),
	}))
	const edges = rows
		.filter(({ job }) => job.parentImageId || job.parentJobId)
		.map(({ job }) => ({
			from: job.parentImageId ?? job.parentJobId!,
			fromKind: job.parentImageId ? ('image' as const) : ('job' as const),
			to: job.id,
			op: job.op,
		}))
	return { boardId, exportedAt: new Date().toISOString(), nodes, edges }
}
