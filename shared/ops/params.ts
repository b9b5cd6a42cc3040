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

/** Remix: an edited prompt over the parent's layout. Omit `negativePrompt` to keep the parent's. */
export const RemixParamsSchema = z
	.object({ negativePrompt: z.string().trim().max(1000).optional() })
	.strict()
export type RemixParams = z.infer<typeof RemixParamsSchema>

export const ZOOM_FACTORS = [1.5, 2] as const
export const ZoomFactorSchema = z.union([z.literal(1.5), z.literal(2)])
export type ZoomFactor = z.infer<typeof ZoomFactorSchema>
/** Zoom out: the parent shrinks to 1/factor of the frame, centred; the rest is new. */
export const ZoomOutParamsSchema = z.object({ factor: ZoomFactorSchema }).strict()
export type ZoomOutParams = z.infer<typeof ZoomOutParamsSchema>

export const PAN_DIRECTIONS = ['left', 'right', 'up', 'down'] as const
export const PanDirectionSchema = z.enum(PAN_DIRECTIONS)
export type PanDirection = z.infer<typeof PanDirectionSchema>
/** Pan: the canvas grows on the `direction` side; the parent keeps its place on the other. */
export const PanParamsSchema = z.object({ direction: PanDirectionSchema }).strict()
export type PanParams = z.infer<typeof PanParamsSchema>

export const UPSCALE_MODES = ['subtle', 'creative'] as const
export const UpscaleModeSchema = z.enum(UPSCALE_MODES)
export type UpscaleMode = z.infer<typeof UpscaleModeSchema>
export const UPSCALE_FACTORS = [2, 4] as const
export const UpscaleFactorSchema = z.union([z.literal(2), z.literal(4)])
export type UpscaleFactor = z.infer<typeof UpscaleFactorSchema>
/** Upscale: *subtle* is the neural upscaler alone; *creative* adds painted detail on top. */
export const UpscaleParamsSchema = z
	.object({ mode: UpscaleModeSchema, factor: UpscaleFactorSchema })
	.strict()
export type UpscaleParams = z.infer<typeof UpscaleParamsSchema>
