import { zipSync } from 'fflate'
import type { AppContext } from '../context'
import { boardLineage } from './lineage'
import { finalsOf, pngWithProvenance } from './provenance'
import { commentsOf, currentDecisions, decisionHistory } from './review'

/**
 * A board's review as one zip, for whoever signs off outside Arbor: every final as a full-size PNG
 * carrying its provenance (as `finals.zip` has them), the lineage DAG (`lineage.json`), and the
 * review record (`decisions.json`: current decisions, their full history, every comment).
 */
export async function reviewArchive(ctx: AppContext, boardId: string): Promise<Uint8Array> {
	const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2))
	const files: Record<string, Uint8Array> = {}
	for (const image of finalsOf(ctx.db, boardId))
		files[`finals/${image.id}.png`] = await pngWithProvenance(ctx, image)
	files['lineage.json'] = json(boardLineage(ctx.db, boardId))
	files['decisions.json'] = json({
		decisions: currentDecisions(ctx.db, boardId),
		history: decisionHistory(ctx.db, boardId),
		comments: commentsOf(ctx.db, boardId),
	})
	// PNGs are already deflated: store them as they are.
	return zipSync(files, { level: 0 })
}
