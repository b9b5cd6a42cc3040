import { z } from 'zod'
import { type OpName, OpNameSchema } from './ops/catalogue'
import type { Dimensions } from './ops/geometry'
import { UpscaleFactorSchema } from './ops/params'

// What an engine (builtin, ComfyUI, A1111, OpenAI-style) can do and what it reports about each
// image. The server gates ops with these, the op catalogue and the UI follow them, provenance
// records the engine's own values.

const Edge = z.number().int().min(1).max(16_384)

/**
 * The sizes an engine can paint at. Latent-diffusion models take any multiple of 8 (SD 1.5,
 * SDXL) or 64 within bounds; hosted APIs take a fixed list. The adapter paints at `sizeFor` and
 * resizes to Arbor's exact output size.
 */
export const SizeRuleSchema = z.discriminatedUnion('kind', [
	z
		.object({
			kind: z.literal('multiple'),
			multiple: z.number().int().min(1),
			min: Edge,
			max: Edge,
		})
		.strict(),
	z
		.object({
			kind: z.literal('fixed'),
			sizes: z
				.array(z.object({ width: Edge, height: Edge }).strict())
				.min(1)
				.max(32),
		})
		.strict(),
])
export type SizeRule = z.infer<typeof SizeRuleSchema>

export const EngineCapabilitiesSchema = z
	.object({
		/** Ops the engine can run; others are refused with a 422 and hidden in the UI. */
		ops: z.array(OpNameSchema).min(1),
		size: SizeRuleSchema,
		/** Whether a seed reproduces an image; when false the record's seed is null. */
		seeds: z.boolean(),
		/** Images per engine call; a grid of 4 takes ceil(4 / maxBatch) calls. */
		maxBatch: z.number().int().min(1).max(64),
		/** Whether it sends partial images while it works (GenerateOptions.onPreview). */
		previews: z.boolean(),
		/** Upscale factors it offers (empty when it has no upscale). */
		upscaleFactors: z.array(UpscaleFactorSchema),
	})
	.strict()
export type EngineCapabilities = z.infer<typeof EngineCapabilitiesSchema>

/** A model an engine can run, as its discovery reports it (a checkpoint file, an API model). */
export const EngineModelSchema = z
	.object({
		id: z.string().min(1).max(300),
		name: z.string().min(1).max(300),
		hash: z.string().max(128).nullable().optional(),
	})
	.strict()
export type EngineModel = z.infer<typeof EngineModelSchema>

const ExtraValueSchema = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])

/**
 * What the engine itself says made one image: stored with the image and written into its
 * provenance (the `arbor` chunk and the A1111 `parameters` infotext). Fields an engine does not
 * have are null — never invented (the builtin painter has no sampler).
 */
export const EngineRecordSchema = z
	.object({
		engine: z.string().min(1).max(64),
		model: z.string().min(1).max(300),
		modelHash: z.string().max(128).nullable(),
		sampler: z.string().max(100).nullable(),
		scheduler: z.string().max(100).nullable(),
		steps: z.number().int().min(0).max(10_000).nullable(),
		cfg: z.number().min(0).max(1000).nullable(),
		denoise: z.number().min(0).max(1).nullable(),
		/** The seed the engine actually used; null when the engine does not honour seeds. */
		seed: z
			.number()
			.int()
			.min(0)
			.max(2 ** 64)
			.nullable(),
		/** Anything else the engine reports (prompt id, upscaler, revised prompt…). */
		extras: z.record(z.string().max(100), ExtraValueSchema).default({}),
	})
	.strict()
export type EngineRecord = z.infer<typeof EngineRecordSchema>
export type EngineRecordInput = z.input<typeof EngineRecordSchema>

/**
 * The record of an engine that reports no sampler values (the builtin painter, an upscaler, a
 * hosted API): each of them null rather than invented.
 */
export function samplerlessRecord(
	engine: string,
	model: string,
	seed: number | null,
	extras: EngineRecord['extras'] = {},
): EngineRecord {
	const none = { modelHash: null, sampler: null, scheduler: null, steps: null, cfg: null }
	return { engine, model, ...none, denoise: null, seed, extras }
}

/** What an engine says about its machine (ComfyUI `/system_stats`), for health. */
export const EngineHealthSchema = z.object({
	version: z.string().nullable(),
	devices: z
		.array(
			z.object({
				name: z.string().max(300),
				type: z.string().max(64).nullable(),
				/** Bytes. */
				vramTotal: z.number().nullable(),
				vramFree: z.number().nullable(),
			}),
		)
		.max(64),
})
export type EngineHealth = z.infer<typeof EngineHealthSchema>

/** One engine as the server knows it: from its own engine (embedded) or workers' heartbeats. */
export const EngineDescriptionSchema = z.object({
	engine: z.string(),
	version: z.string(),
	/** The model a job runs on when it names none. */
	defaultModel: z.string(),
	capabilities: EngineCapabilitiesSchema,
	models: z.array(EngineModelSchema),
	/** Workers serving it (1 in embedded mode). */
	workers: z.number().int().min(0),
	/** Devices and free VRAM when the engine reports them; null when it doesn't or is unreachable. */
	health: EngineHealthSchema.nullable().optional(),
})
export type EngineDescription = z.infer<typeof EngineDescriptionSchema>

/** `GET /api/engines`. */
export const EnginesReplySchema = z.object({ engines: z.array(EngineDescriptionSchema) })
export type EnginesReply = z.infer<typeof EnginesReplySchema>

/**
 * Why `capabilities` cannot run `op` with `params`, or null when it can. Upscale also needs the
 * asked factor.
 *
 * @example unsupportedReason(caps, 'upscale', { mode: 'subtle', factor: 4 }) // 'upscale ×4 …'
 */
export function unsupportedReason(
	capabilities: EngineCapabilities,
	op: OpName,
	params: Readonly<Record<string, unknown>>,
): string | null {
	if (!capabilities.ops.includes(op)) return `cannot run ${op}`
	if (op === 'upscale') {
		const factor = params.factor
		if (typeof factor === 'number' && !capabilities.upscaleFactors.some((f) => f === factor))
			return `cannot upscale ×${factor} (it offers ${capabilities.upscaleFactors.map((f) => `×${f}`).join(', ') || 'none'})`
	}
	return null
}

/**
 * The size an engine should paint at to make an `output`-sized image: the nearest size its rule
 * allows with about the same aspect ratio (the adapter resizes the result to `output`).
 *
 * @example sizeFor({ kind: 'multiple', multiple: 64, min: 256, max: 2048 }, { width: 624, height: 416 })
 * // { width: 640, height: 448 }
 */
export function sizeFor(rule: SizeRule, output: Dimensions): Dimensions {
	if (rule.kind === 'fixed') {
		const ratio = output.width / output.height
		const score = (s: Dimensions) =>
			Math.abs(Math.log(s.width / s.height / ratio)) * 10 +
			Math.abs(Math.log((s.width * s.height) / (output.width * output.height)))
		return [...rule.sizes].sort((a, b) => score(a) - score(b))[0]
	}
	const { multiple, min, max } = rule
	const lo = Math.ceil(min / multiple) * multiple
	const hi = Math.floor(max / multiple) * multiple
	const snap = (v: number) => Math.min(hi, Math.max(lo, Math.round(v / multiple) * multiple))
	// Too big for the engine: shrink both sides together so the aspect ratio survives.
	const k = Math.min(1, hi / Math.max(output.width, output.height))
	return { width: snap(output.width * k), height: snap(output.height * k) }
}

/** Whether an online engine serves `model` (its default model or one its discovery listed). */
export function isModelServed(engines: readonly EngineDescription[], model: string): boolean {
	return engines.some((e) => e.defaultModel === model || e.models.some((m) => m.id === model))
}

/** One model online now, as the model picker lists it. */
export const OnlineModelSchema = z.object({
	id: z.string(),
	name: z.string(),
	engine: z.string(),
	/** Workers serving it now (1 in embedded mode). */
	workers: z.number().int().min(0),
	/** Credits for a prompt (a grid of `imagine`) on this model. */
	price: z.number(),
})
export type OnlineModel = z.infer<typeof OnlineModelSchema>

/** `GET /api/models`. */
export const ModelsReplySchema = z.object({ models: z.array(OnlineModelSchema) })
export type ModelsReply = z.infer<typeof ModelsReplySchema>
