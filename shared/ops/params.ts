import { z } from 'zod'

/** The longest prompt we accept: long enough for any real prompt, short enough to index and show. */
export const PROMPT_MAX_LENGTH = 2000

export const PromptSchema = z
	.string()
	.trim()
	.min(1, 'prompt is empty')
	.max(PROMPT_MAX_LENGTH, `prompt is longer than ${PROMPT_MAX_LENGTH} characters`)

export const ASPECT_RATIOS = ['1:1', '4:3', '3:4', '3:2', '2:3', '16:9', '9:16'] as const
export const AspectRatioSchema = z.enum(ASPECT_RATIOS)
export type AspectRatio = z.infer<typeof AspectRatioSchema>

export const SeedSchema = z
	.number()
	.int()
	.min(0)
	.max(2 ** 32 - 1)

/** Pixels on a side of a square draft; other ratios keep about the same pixel count. */
export const DRAFT_EDGE = 512

/**
 * Output size for an aspect ratio: about DRAFT_EDGE² pixels, both sides multiples of 8
 * (what latent-space models need).
 *
 * @example dimensionsFor('3:2') // { width: 624, height: 416 }
 */
export function dimensionsFor(aspectRatio: AspectRatio): { width: number; height: number } {
	const [w, h] = aspectRatio.split(':').map(Number)
	const ratio = w / h
	const area = DRAFT_EDGE * DRAFT_EDGE
	const width = Math.round(Math.sqrt(area * ratio) / 8) * 8
	const height = Math.round(Math.sqrt(area / ratio) / 8) * 8
	return { width, height }
}

export const ImagineParamsSchema = z
	.object({
		aspectRatio: AspectRatioSchema.default('1:1'),
		seed: SeedSchema.optional(),
		/** Spread between the four candidates, 0 (close) … 100 (wild). */
		chaos: z.number().int().min(0).max(100).default(0),
		/** How strongly the house style is applied, 0 … 1000. */
		stylize: z.number().int().min(0).max(1000).default(100),
		negativePrompt: z.string().trim().max(1000).optional(),
	})
	.strict()
export type ImagineParams = z.infer<typeof ImagineParamsSchema>

export const VaryStrengthSchema = z.enum(['subtle', 'strong'])
export type VaryStrength = z.infer<typeof VaryStrengthSchema>

export const VaryParamsSchema = z.object({ strength: VaryStrengthSchema }).strict()
export type VaryParams = z.infer<typeof VaryParamsSchema>
