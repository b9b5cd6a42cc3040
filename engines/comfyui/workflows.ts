import type { Dimensions } from '../../shared/ops/geometry'
import type { CustomWorkflow, WorkflowInput } from '../../shared/workflows'
import type { GenerateRequest } from '../types'
import type { ApiGraph } from './protocol'

/** Sampler settings of the built-in graphs; a team tunes its own with a custom workflow. */
export const SAMPLER = { steps: 25, cfg: 7, sampler: 'euler', scheduler: 'normal' } as const

/** img2img strength per op (ComfyUI's `denoise`): how far the result may move from the parent. */
export const DENOISE = { subtle: 0.35, strong: 0.7, remix: 0.6, creative: 0.3 } as const

/** The sampler values one run used, for each image's record. */
export interface RunSettings {
	sampler: string | null
	scheduler: string | null
	steps: number | null
	cfg: number | null
	denoise: number | null
	seed: number | null
	/** Images one run makes (a batch); Arbor asks for `seeds.length`. */
	batch: number
	workflow: string
}

export interface BuiltWorkflow {
	graph: ApiGraph
	settings: RunSettings
}

export interface WorkflowContext {
	checkpoint: string
	/** An upscale model file, or null to scale with lanczos alone (no weights needed). */
	upscaleModel: string | null
	/** The uploaded parent, as a LoadImage node names it. */
	parentName: string | null
	/** The size the engine paints at (the adapter resizes to the request's exact size). */
	size: Dimensions
}

const link = (node: string, slot = 0) => [node, slot]

function baseNodes(request: GenerateRequest, ctx: WorkflowContext): ApiGraph {
	return {
		'1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: ctx.checkpoint } },
		'2': { class_type: 'CLIPTextEncode', inputs: { text: request.prompt, clip: link('1', 1) } },
		'3': {
			class_type: 'CLIPTextEncode',
			inputs: { text: request.negativePrompt ?? '', clip: link('1', 1) },
		},
	}
}

function sampleAndSave(latent: unknown, seed: number, denoise: number): ApiGraph {
	return {
		'5': {
			class_type: 'KSampler',
			inputs: {
				model: link('1', 0),
				positive: link('2', 0),
				negative: link('3', 0),
				latent_image: latent,
				seed,
				steps: SAMPLER.steps,
				cfg: SAMPLER.cfg,
				sampler_name: SAMPLER.sampler,
				scheduler: SAMPLER.scheduler,
				denoise,
			},
		},
		'6': { class_type: 'VAEDecode', inputs: { samples: link('5', 0), vae: link('1', 2) } },
		'7': { class_type: 'SaveImage', inputs: { images: link('6', 0), filename_prefix: 'arbor' } },
	}
}

function requireParent(ctx: WorkflowContext): string {
	if (!ctx.parentName) throw new Error('the parent image was not uploaded')
	return ctx.parentName
}

/**
 * Arbor's built-in API-format graph for a request: txt2img (imagine, reroll), img2img (vary,
 * remix), pad-for-outpaint + inpaint (zoom_out, pan, with shared geometry), an upscale model
 * (upscale subtle) plus a low-denoise pass (creative). One run makes the whole grid as a batch.
 */
export function builtinWorkflow(request: GenerateRequest, ctx: WorkflowContext): BuiltWorkflow {
	const seed = request.seeds[0]
	const batch = request.seeds.length
	const { width, height } = ctx.size
	const settings = (denoise: number | null, sampled = true): RunSettings => ({
		sampler: sampled ? SAMPLER.sampler : null,
		scheduler: sampled ? SAMPLER.scheduler : null,
		steps: sampled ? SAMPLER.steps : null,
		cfg: sampled ? SAMPLER.cfg : null,
		denoise,
		seed: sampled ? seed : null,
		batch,
		workflow: `builtin:${request.op}`,
	})
	switch (request.op) {
		case 'imagine':
		case 'reroll':
			return {
				graph: {
					...baseNodes(request, ctx),
					'4': { class_type: 'EmptyLatentImage', inputs: { width, height, batch_size: batch } },
					...sampleAndSave(link('4'), seed, 1),
				},
				settings: settings(1),
			}
		case 'vary':
		case 'remix': {
			const denoise = request.op === 'remix' ? DENOISE.remix : DENOISE[request.params.strength]
			return {
				graph: {
					...baseNodes(request, ctx),
					'10': { class_type: 'LoadImage', inputs: { image: requireParent(ctx) } },
					'11': {
						class_type: 'ImageScale',
						inputs: { image: link('10'), upscale_method: 'lanczos', width, height, crop: 'center' },
					},
					'12': { class_type: 'VAEEncode', inputs: { pixels: link('11'), vae: link('1', 2) } },
					'4': { class_type: 'RepeatLatentBatch', inputs: { samples: link('12'), amount: batch } },
					...sampleAndSave(link('4'), seed, denoise),
				},
				settings: settings(denoise),
			}
		}
		case 'zoom_out':
		case 'pan': {
			// Geometry from shared/ops/geometry.ts, scaled if the engine paints at another size.
			const { placement, padding, feather } = request.outpaint
			const kx = width / request.width
			const ky = height / request.height
			const px = (v: number) => Math.round(v * kx)
			const py = (v: number) => Math.round(v * ky)
			return {
				graph: {
					...baseNodes(request, ctx),
					'10': { class_type: 'LoadImage', inputs: { image: requireParent(ctx) } },
					'11': {
						class_type: 'ImageScale',
						inputs: {
							image: link('10'),
							upscale_method: 'lanczos',
							width: px(placement.width),
							height: py(placement.height),
							crop: 'disabled',
						},
					},
					'13': {
						class_type: 'ImagePadForOutpaint',
						inputs: {
							image: link('11'),
							left: px(padding.left),
							top: py(padding.top),
							right: width - px(padding.left) - px(placement.width),
							bottom: height - py(padding.top) - py(placement.height),
							feathering: feather,
						},
					},
					'12': {
						class_type: 'VAEEncodeForInpaint',
						inputs: { pixels: link('13'), vae: link('1', 2), mask: link('13', 1), grow_mask_by: 8 },
					},
					'4': { class_type: 'RepeatLatentBatch', inputs: { samples: link('12'), amount: batch } },
					...sampleAndSave(link('4'), seed, 1),
				},
				settings: settings(1),
			}
		}
		case 'upscale': {
			const graph: ApiGraph = {
				'10': { class_type: 'LoadImage', inputs: { image: requireParent(ctx) } },
			}
			let image = link('10')
			if (ctx.upscaleModel) {
				graph['20'] = { class_type: 'UpscaleModelLoader', inputs: { model_name: ctx.upscaleModel } }
				graph['21'] = {
					class_type: 'ImageUpscaleWithModel',
					inputs: { upscale_model: link('20'), image },
				}
				image = link('21')
			}
			graph['22'] = {
				class_type: 'ImageScale',
				inputs: { image, upscale_method: 'lanczos', width, height, crop: 'disabled' },
			}
			if (request.params.mode === 'subtle') {
				graph['7'] = {
					class_type: 'SaveImage',
					inputs: { images: link('22'), filename_prefix: 'arbor' },
				}
				return { graph, settings: settings(null, false) }
			}
			return {
				graph: {
					...graph,
					...baseNodes(request, ctx),
					'12': { class_type: 'VAEEncode', inputs: { pixels: link('22'), vae: link('1', 2) } },
					...sampleAndSave(link('12'), seed, DENOISE.creative),
				},
				settings: settings(DENOISE.creative),
			}
		}
	}
}

function setInput(graph: ApiGraph, at: WorkflowInput | undefined, value: unknown): void {
	if (!at) return
	const node = graph[at.node]
	if (!node) throw new Error(`the workflow has no node ${at.node}`)
	node.inputs[at.input] = value
}

const SAMPLER_INPUTS = ['sampler_name', 'scheduler', 'steps', 'cfg'] as const

/**
 * A team's registered graph with Arbor's values written where its bindings say. Unbound values
 * keep the graph's own; the record reads the sampler values from the graph's first sampler.
 */
export function customWorkflow(
	request: GenerateRequest,
	workflow: CustomWorkflow,
	ctx: WorkflowContext,
): BuiltWorkflow {
	const graph: ApiGraph = structuredClone(workflow.graph)
	const { bindings } = workflow
	const seed = request.seeds[0]
	const batch = bindings.batchSize ? request.seeds.length : 1
	const denoise =
		request.op === 'vary'
			? DENOISE[request.params.strength]
			: request.op === 'remix'
				? DENOISE.remix
				: request.op === 'upscale' && request.params.mode === 'creative'
					? DENOISE.creative
					: 1
	setInput(graph, bindings.prompt, request.prompt)
	setInput(graph, bindings.negativePrompt, request.negativePrompt ?? '')
	setInput(graph, bindings.seed, seed)
	setInput(graph, bindings.width, ctx.size.width)
	setInput(graph, bindings.height, ctx.size.height)
	setInput(graph, bindings.denoise, denoise)
	setInput(graph, bindings.batchSize, batch)
	setInput(graph, bindings.checkpoint, ctx.checkpoint)
	if (bindings.parentImage) setInput(graph, bindings.parentImage, requireParent(ctx))
	const sampler = Object.values(graph).find((n) => 'sampler_name' in n.inputs)?.inputs ?? {}
	const [samplerName, scheduler, steps, cfg] = SAMPLER_INPUTS.map((k) => sampler[k])
	const str = (v: unknown) => (typeof v === 'string' ? v : null)
	const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
	return {
		graph,
		settings: {
			sampler: str(samplerName),
			scheduler: str(scheduler),
			steps: num(steps),
			cfg: num(cfg),
			denoise: bindings.denoise ? denoise : num(sampler.denoise),
			seed: bindings.seed ? seed : num(sampler.seed),
			batch,
			workflow: `custom:${workflow.id}`,
		},
	}
}
