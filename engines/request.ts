import sharp from 'sharp'
import type { OpName } from '../shared/ops/catalogue'
import { OpInputError, outpaintGeometry } from '../shared/ops/geometry'
import {
	AspectRatioSchema,
	PanParamsSchema,
	UpscaleParamsSchema,
	VaryParamsSchema,
	ZoomOutParamsSchema,
} from '../shared/ops/params'
import type { CustomWorkflow } from '../shared/workflows'
import { UnrecoverableJobError } from './errors'
import type { GenerateRequest, ParentImage } from './types'

/** A job's inputs as recorded (params untyped), before they become a typed request. */
export interface GenerateInput {
	op: OpName
	prompt: string
	negativePrompt: string | null
	params: Record<string, unknown>
	seeds: number[]
	width: number
	height: number
	parentPng: Uint8Array | null
	sourcePrompt?: string | null
	model?: string | null
	workflow?: CustomWorkflow | null
}

function pick<T>(
	schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
	op: OpName,
	value: unknown,
): T {
	const parsed = schema.safeParse(value)
	if (!parsed.success) throw new UnrecoverableJobError(`Invalid params for ${op}.`)
	return parsed.data
}

async function readParent(op: OpName, png: Uint8Array | null): Promise<ParentImage> {
	if (!png) throw new UnrecoverableJobError(`${op} needs the parent image.`)
	try {
		const { width, height } = await sharp(png).metadata()
		if (!width || !height) throw new Error('no dimensions')
		return { png, width, height }
	} catch (err) {
		throw new UnrecoverableJobError(`The parent image could not be decoded: ${String(err)}`)
	}
}

const num = (v: unknown, fallback: number) =>
	typeof v === 'number' && Number.isFinite(v) ? v : fallback

/**
 * The typed request an engine receives: params checked per op, the parent's size read once and,
 * for zoom_out and pan, the padding and mask computed once (shared/ops/geometry.ts) so no engine
 * recomputes them. Throws UnrecoverableJobError when the input cannot be run.
 */
export async function toGenerateRequest(input: GenerateInput): Promise<GenerateRequest> {
	const { params } = input
	// imagine keeps a negative prompt in params (from the prompt bar); the request carries it once.
	const negativePrompt =
		input.negativePrompt ??
		(typeof params.negativePrompt === 'string' && params.negativePrompt
			? params.negativePrompt
			: null)
	const base = {
		prompt: input.prompt,
		negativePrompt,
		seeds: input.seeds,
		width: input.width,
		height: input.height,
		model: input.model ?? null,
		workflow: input.workflow ?? null,
	}
	const op = input.op
	switch (op) {
		case 'imagine':
		case 'reroll': {
			const ratio = AspectRatioSchema.safeParse(params.aspectRatio)
			return {
				...base,
				op,
				params: {
					aspectRatio: ratio.success ? ratio.data : null,
					chaos: Math.min(100, Math.max(0, num(params.chaos, 0))),
					stylize: Math.min(1000, Math.max(0, num(params.stylize, 100))),
				},
			}
		}
		case 'vary':
			return {
				...base,
				op,
				params: pick(VaryParamsSchema, op, { strength: params.strength }),
				parent: await readParent(op, input.parentPng),
			}
		case 'remix':
			return {
				...base,
				op,
				params: {},
				parent: await readParent(op, input.parentPng),
				sourcePrompt: input.sourcePrompt ?? null,
			}
		case 'zoom_out':
		case 'pan': {
			const parent = await readParent(op, input.parentPng)
			try {
				const outpaint = outpaintGeometry(op, params, parent, input)
				return op === 'zoom_out'
					? {
							...base,
							op,
							params: pick(ZoomOutParamsSchema, op, { factor: params.factor }),
							parent,
							outpaint,
						}
					: {
							...base,
							op,
							params: pick(PanParamsSchema, op, { direction: params.direction }),
							parent,
							outpaint,
						}
			} catch (err) {
				if (err instanceof OpInputError) throw new UnrecoverableJobError(err.message)
				throw err
			}
		}
		case 'upscale':
			return {
				...base,
				op,
				params: pick(UpscaleParamsSchema, op, { mode: params.mode, factor: params.factor }),
				parent: await readParent(op, input.parentPng),
			}
	}
}
