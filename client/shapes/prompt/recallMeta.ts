import { z } from 'zod'
import { SeedSchema } from '../../../shared/ops/params'
import type { Recall } from '../../../shared/provenance/recall'

/** Where a dropped PNG's prompt came from, in words. */
export const RECALL_SOURCE_LABELS = {
	arbor: 'Arbor',
	a1111: 'AUTOMATIC1111',
	comfyui: 'ComfyUI',
} as const

/**
 * What a recall card keeps in its shape's `meta.recall` beyond the prompt and aspect ratio (which
 * are props): enough to run it again and to say where it came from. JSON only — the doc stores it.
 */
export const RecallMetaSchema = z.object({
	source: z.enum(['arbor', 'a1111', 'comfyui']),
	negativePrompt: z.string().optional(),
	seed: SeedSchema.optional(),
	fileName: z.string().optional(),
	/** A few of the source's own settings (model, sampler, steps…), shown on the card. */
	details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
})
export type RecallMeta = z.infer<typeof RecallMetaSchema>

const MAX_DETAILS = 6
const MAX_DETAIL_LENGTH = 80
// The settings people recognize first; the rest stays in the file.
const PREFERRED = ['model', 'Model', 'op', 'Sampler', 'sampler_name', 'Steps', 'steps', 'CFG scale']

/** The meta for a card recalled from `recall` (no `undefined` values: the doc holds JSON). */
export function recallMetaFor(recall: Recall, fileName?: string): RecallMeta {
	const keys = Object.keys(recall.params)
	const ordered = [
		...PREFERRED.filter((k) => keys.includes(k)),
		...keys.filter((k) => !PREFERRED.includes(k)),
	]
	const details: RecallMeta['details'] = {}
	for (const key of ordered.slice(0, MAX_DETAILS)) {
		const value = recall.params[key]
		details[key] = typeof value === 'string' ? value.slice(0, MAX_DETAIL_LENGTH) : value
	}
	return {
		source: recall.source,
		...(recall.negativePrompt ? { negativePrompt: recall.negativePrompt } : {}),
		...(recall.seed === undefined ? {} : { seed: recall.seed }),
		...(fileName ? { fileName: fileName.slice(0, 120) } : {}),
		details,
	}
}

/** A card's recall details, or null for an ordinary prompt card (or meta this can't read). */
export function recallMetaOf(meta: unknown): RecallMeta | null {
	if (!meta || typeof meta !== 'object' || !('recall' in meta)) return null
	const parsed = RecallMetaSchema.safeParse((meta as { recall: unknown }).recall)
	return parsed.success ? parsed.data : null
}
