import type { AppContext } from '../context'
import { type ZipEntry, zipStream } from '../http/zipStream'
import { boardLineage } from './lineage'
import { finalsOf, pngWithProvenance } from './provenance'
import { commentsOf, currentDecisions, decisionHistory } from './review'

// The board's downloadable archives. Both carry the same core — every final as a full-size PNG
// with its provenance, and the lineage DAG — so what signs off outside Arbor reads one layout.
// Both are streamed: each final is read as the download reaches it (`zipStream`).

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2))

/**
 * The finals, then `lineage.json`. The list of finals and the lineage are read when the download
 * starts, so the archive is one moment's board.
 */
function* finalsEntries(ctx: AppContext, boardId: string): Iterable<ZipEntry> {
	const lineage = json(boardLineage(ctx.db, boardId))
	for (const image of finalsOf(ctx.db, boardId))
		yield { name: `finals/${image.id}.png`, bytes: () => pngWithProvenance(ctx, image) }
	yield { name: 'lineage.json', bytes: async () => lineage }
}

/** `finals.zip`: `finals/*.png` with provenance and `lineage.json`. */
export function finalsArchive(ctx: AppContext, boardId: string): ReadableStream<Uint8Array> {
	return zipStream(() => finalsEntries(ctx, boardId))
}

/**
 * `review.zip`: the finals archive plus the review record (`decisions.json`: current decisions,
 * their full history, every comment).
 */
export function reviewArchive(ctx: AppContext, boardId: string): ReadableStream<Uint8Array> {
	return zipStream(function* () {
		const record = json({
			decisions: currentDecisions(ctx.db, boardId),
			history: decisionHistory(ctx.db, boardId),
			comments: commentsOf(ctx.db, boardId),
		})
		yield* finalsEntries(ctx, boardId)
		yield { name: 'decisions.json', bytes: async () => record }
	})
}

/** Response headers for an archive download named `<boardId>-<name>.zip`. */
export function zipHeaders(boardId: string, name: string) {
	return {
		'Content-Type': 'application/zip',
		'Content-Disposition': `attachment; filename="${boardId}-${name}.zip"`,
		'Cache-Control': 'private, no-cache',
	}
}
