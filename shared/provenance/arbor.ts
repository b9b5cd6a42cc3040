import { z } from 'zod'
import { EngineRecordSchema } from '../engines'
import { formatInfotext, type InfotextValue } from './infotext'

/** PNG text keywords Arbor writes: A1111's infotext, and our own full record. */
export const PARAMETERS_KEYWORD = 'parameters'
export const ARBOR_KEYWORD = 'arbor'

const CheckSchema = z.looseObject({
	name: z.string(),
	version: z.string(),
	outcome: z.string(),
})

/**
 * The full provenance of one image, as JSON in the `arbor` chunk of every full-size PNG and
 * download Arbor serves. Loose: readers keep fields a newer writer adds.
 */
export const ArborProvenanceSchema = z.looseObject({
	format: z.literal('arbor.provenance'),
	v: z.literal(1),
	imageId: z.string(),
	boardId: z.string(),
	jobId: z.string(),
	/** Position in its job's grid (0 for a single). */
	index: z.number().int().min(0),
	op: z.string(),
	opVersion: z.number().int(),
	prompt: z.string(),
	negativePrompt: z.string().nullable(),
	params: z.record(z.string(), z.unknown()),
	seed: z.number().int().min(0),
	width: z.number().int().positive(),
	height: z.number().int().positive(),
	/** Every parent (one today), with the sha256 of the pixels it was made from. */
	parents: z.array(z.looseObject({ imageId: z.string(), sha256: z.string() })),
	backend: z.string(),
	model: z.string(),
	version: z.string(),
	/** The engine's own record: model hash, sampler, scheduler, steps, cfg, denoise, seed used. */
	engine: EngineRecordSchema.nullable().optional(),
	createdBy: z.looseObject({ id: z.string(), name: z.string() }),
	/** ISO 8601. */
	createdAt: z.string(),
	cost: z.number().optional(),
	/** Policy checks run before the job was queued: which, which version, what they said. */
	checks: z.array(CheckSchema).default([]),
})
export type ArborProvenance = z.infer<typeof ArborProvenanceSchema>
export type ArborProvenanceInput = z.input<typeof ArborProvenanceSchema>

/** `aspectRatio` → `Aspect ratio`: the way A1111 spells its keys. */
function infotextKey(key: string): string {
	const words = key
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/[_-]+/g, ' ')
		.toLowerCase()
	return words.charAt(0).toUpperCase() + words.slice(1)
}

function infotextValue(value: unknown): InfotextValue | null {
	if (value === null || value === undefined) return null
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
		return value
	return JSON.stringify(value)
}

/**
 * The A1111 infotext for an Arbor image: prompt, negative prompt, then the engine's own sampler
 * values in A1111's order (Steps, Sampler, Schedule type, CFG scale, Seed, Size, Model hash,
 * Model, Denoising strength), the op's params, and Arbor's ids. Values an engine did not report
 * (the builtin painter has no sampler) are left out rather than invented.
 */
export function arborInfotext(p: ArborProvenanceInput): string {
	const engine = p.engine ?? null
	// The seed the engine used; an engine that ignores seeds (OpenAI-style) gets none written.
	const seed = engine ? engine.seed : p.seed
	const batchIndex = engine?.extras?.batchIndex
	const params: Record<string, InfotextValue | null> = {
		Steps: engine?.steps ?? null,
		Sampler: engine?.sampler ?? null,
		'Schedule type': engine?.scheduler ?? null,
		'CFG scale': engine?.cfg ?? null,
		Seed: seed,
		// A batched engine (ComfyUI) draws a whole grid's noise from one seed: the image is that
		// seed at this place in the batch, not seed + index.
		'Batch index': typeof batchIndex === 'number' ? batchIndex : null,
		Size: `${p.width}x${p.height}`,
		'Model hash': engine?.modelHash ?? null,
		Model: p.model,
		'Denoising strength': engine?.denoise ?? null,
		'Model version': p.version,
		Backend: p.backend,
		Op: p.op,
	}
	for (const [key, value] of Object.entries(p.params)) {
		if (key === 'negativePrompt' || key === 'seed') continue
		params[infotextKey(key)] = infotextValue(value)
	}
	params['Arbor image'] = p.imageId
	params['Parent image'] = p.parents[0]?.imageId ?? null
	params.Version = 'Arbor'
	return formatInfotext({ prompt: p.prompt, negativePrompt: p.negativePrompt, params })
}

/**
 * The text chunks the server embeds in a full-size PNG or download: `parameters` (A1111 infotext)
 * and `arbor` (this JSON). Validates the record first; throws if it's incomplete.
 *
 * @example writePngTextChunks(png, provenanceTextChunks(record))
 */
export function provenanceTextChunks(p: ArborProvenanceInput): Array<[string, string]> {
	const record = ArborProvenanceSchema.parse(p)
	return [
		[PARAMETERS_KEYWORD, arborInfotext(record)],
		[ARBOR_KEYWORD, JSON.stringify(record)],
	]
}
