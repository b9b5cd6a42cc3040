import { asc, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { publications } from '../db/schema'
import { imageLineage } from './lineage'

// What a client (someone holding a client link) may see of a board: the images its owner
// published, and the images on the lineage path to each — nothing else. Every client-facing read
// (the projection doc, image files, provenance) filters through these. Review records (decisions,
// marks, comments) are narrower still: a client sees them on the published picks only.

/** Published image ids, oldest publication first. */
export function publishedImageIds(db: Db, boardId: string): string[] {
	return db
		.select({ imageId: publications.imageId })
		.from(publications)
		.where(eq(publications.boardId, boardId))
		.orderBy(asc(publications.createdAt))
		.all()
		.map((row) => row.imageId)
}

/** Published images and every image on their lineage paths. */
export function clientVisibleImageIds(db: Db, boardId: string): Set<string> {
	const visible = new Set<string>()
	for (const imageId of publishedImageIds(db, boardId)) {
		for (const step of imageLineage(db, boardId, imageId))
			if (step.imageId) visible.add(step.imageId)
		visible.add(imageId)
	}
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
