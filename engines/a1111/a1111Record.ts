import { z } from 'zod'
import { type EngineRecord, samplerlessRecord } from '../../shared/engines'

/** The parts of A1111's `info` (Processed.js(), a JSON string) Arbor reads; the rest is kept out. */
export const A1111InfoSchema = z.looseObject({
	all_seeds: z.array(z.number().int()),
	all_subseeds: z.array(z.number().int()).default([]),
	subseed_strength: z.number().default(0),
	sampler_name: z.string().nullable().default(null),
	steps: z.number().int().nullable().default(null),
	cfg_scale: z.number().nullable().default(null),
	denoising_strength: z.number().nullable().default(null),
	sd_model_name: z.string(),
	sd_model_hash: z.string().nullable().default(null),
	index_of_first_image: z.number().int().min(0).default(0),
})
export type A1111Info = z.infer<typeof A1111InfoSchema>

export const GenerationAnswerSchema = z.looseObject({
	images: z.array(z.string()),
	info: z.string(),
})

/** Reads an answer's `info`; a malformed one is the engine's fault (retryable), not the job's. */
export function parseInfo(text: string): A1111Info {
	let json: unknown
	try {
		json = JSON.parse(text)
	} catch {
		throw new Error('AUTOMATIC1111 answered with an unreadable info.')
	}
	return A1111InfoSchema.parse(json)
}

/** What A1111 says made image `index` of its batch: its checkpoint, sampler values and seeds. */
export function recordFromInfo(info: A1111Info, index: number, taskId: string): EngineRecord {
	const extras: EngineRecord['extras'] = { taskId }
	if (info.subseed_strength > 0 && info.all_subseeds[index] !== undefined) {
		extras.subseed = info.all_subseeds[index]
		extras.subseedStrength = info.subseed_strength
	}
	return {
		engine: 'a1111',
		model: info.sd_model_name,
		modelHash: info.sd_model_hash,
		sampler: info.sampler_name,
		scheduler: null,
		steps: info.steps,
		cfg: info.cfg_scale,
		denoise: info.denoising_strength,
		seed: info.all_seeds[index] ?? null,
		extras,
	}
}

/** An extra-single-image upscale: the upscaler is the model; no sampler, no seed. */
export function upscalerRecord(upscaler: string): EngineRecord {
	return samplerlessRecord('a1111', upscaler, null, { upscaler })
}
