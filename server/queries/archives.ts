import { zipSync } from 'fflate'
import type { AppContext } from '../context'
import { boardLineage } from './lineage'
import { finalsOf, pngWithProvenance } from './provenance'
import { commentsOf, currentDecisions, decisionHistory } from './review'

// The board's downloadable archives. Both carry the same core — every final as a full-size PNG
// with its provenance, and the lineage DAG — so what signs off outside Arbor reads one layout.

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2))

async function finalsFiles(ctx: AppContext, boardId: string): Promise<Record<string, Uint8Array>> {
	const files: Record<string, Uint8Array> = {}
	for (const image of finalsOf(ctx.db, boardId))
		files[`finals/${image.id}.png`] = await pngWithProvenance(ctx, image)
	files['lineage.json'] = json(boardLineage(ctx.db, boardId))
	return files
}

// PNGs are already deflated: store them as they are.
const zipStored = (files: Record<string, Uint8Array>) => zipSync(files, { level: 0 })

/** `finals.zip`: `finals/*.png` with provenance and `lineage.json`. */
export async function finalsArchive(ctx: AppContext, boardId: string): Promise<Uint8Array> {
	return zipStored(await finalsFiles(ctx, boardId))
}

/**
 * `review.zip`: the finals archive plus the review record (`decisions.json`: current decisions,
 * their full history, every comment).
 */
export async function reviewArchive(ctx: AppContext, boardId: string): Promise<Uint8Array> {
	return zipStored({
		...(await finalsFiles(ctx, boardId)),
		'decisions.json': json({
			decisions: currentDecisions(ctx.db, boardId),
			history: decisionHistory(ctx.db, boardId),
			comments: commentsOf(ctx.db, boardId),
		}),
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
