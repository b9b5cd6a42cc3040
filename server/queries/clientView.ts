import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { preparedFor } from '../db/prepared'
import { publications } from '../db/schema'
import { imageLineage } from './lineage'

// What a client (someone holding a client link) may see of a board: the images its owner
// published, and the images on the lineage path to each — nothing else. Every client-facing read
// (the projection doc, image files, provenance) filters through these. Review records (decisions,
// marks, comments) are narrower still: a client sees them on the published picks only.

// Read per client image request (to fingerprint the client view): prepared once.
const publishedQuery = preparedFor((db) =>
	db
		.select({ imageId: publications.imageId })
		.from(publications)
		.where(eq(publications.boardId, sql.placeholder('boardId')))
		.orderBy(asc(publications.createdAt), asc(publications.imageId))
		.prepare(),
)

/** Published image ids, oldest publication first. */
export function publishedImageIds(db: Db, boardId: string): string[] {
	return publishedQuery(db)
		.all({ boardId })
		.map((row) => row.imageId)
}

/** Boards whose client view is remembered per database; the oldest is forgotten first. */
const VISIBLE_CACHE_BOARDS = 256
const visibleCache = new WeakMap<Db, Map<string, { published: string; visible: Set<string> }>>()

/**
 * Published images and every image on their lineage paths.
 *
 * A client's every image request asks this, and walking each published image's lineage is a few
 * queries per step (40 published images: ~60 ms a request). The answer depends only on the
 * published ids — an image's lineage never changes: images and jobs are never re-parented, and
 * rows go only with their board — so it is remembered against the published ids, which are read
 * fresh on every call: a publish or unpublish is seen by the very next request.
 */
export function clientVisibleImageIds(db: Db, boardId: string): ReadonlySet<string> {
	const ids = publishedImageIds(db, boardId)
	const published = ids.join(',')
	let boards = visibleCache.get(db)
	if (!boards) {
		boards = new Map()
		visibleCache.set(db, boards)
	}
	const cached = boards.get(boardId)
	if (cached?.published === published) return cached.visible
	const visible = new Set<string>()
	for (const imageId of ids) {
		for (const step of imageLineage(db, boardId, imageId))
			if (step.imageId) visible.add(step.imageId)
		visible.add(imageId)
	}
	boards.delete(boardId)
	if (boards.size >= VISIBLE_CACHE_BOARDS) boards.delete(boards.keys().next().value as string)
	boards.set(boardId, { published, visible })
	return visible
}

/**
 * Images whose review a client may read: the published picks only. The lineage ancestors are on
 * the client's canvas, but what the team said about them is internal (why a candidate was turned
 * down, which variation was starred) and stays with the team.
 */
export function clientReviewImageIds(db: Db, boardId: string): Set<string> {
	return new Set(publishedImageIds(db, boardId))
}

export function isVisibleToClient(db: Db, boardId: string, imageId: string): boolean {
	return clientVisibleImageIds(db, boardId).has(imageId)
}

export function isPublished(db: Db, boardId: string, imageId: string): boolean {
	return publishedImageIds(db, boardId).includes(imageId)
}
