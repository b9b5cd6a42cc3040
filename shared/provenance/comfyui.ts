/**
 * Recall from ComfyUI's `prompt` PNG chunk: the API-format graph (`{ "<node id>": { class_type,
 * inputs } }`, links as `["<node id>", <output index>]`) that its SaveImage node embeds. We find
 * the sampler, follow its positive and negative inputs back to the text encoders, and read seed,
 * steps, cfg and the empty latent's size.
 */

interface ComfyNode {
	class_type: string
	inputs: Record<string, unknown>
}
type Graph = Record<string, ComfyNode>

export interface ComfyRecall {
	prompt: string
	negativePrompt?: string
	/** The raw seed (ComfyUI allows up to 2^64). */
	seed?: number
	width?: number
	height?: number
	params: Record<string, string | number>
}

const SAMPLERS = new Set(['KSampler', 'KSamplerAdvanced', 'SamplerCustom', 'SamplerCustomAdvanced'])
/** Nodes that pass conditioning through (ControlNet, area, timestep…): follow these inputs. */
const CONDITIONING_INPUTS = ['conditioning', 'conditioning_to', 'conditioning_1']
const MAX_DEPTH = 32

function isLink(value: unknown): value is [string, number] {
	return Array.isArray(value) && value.length === 2 && typeof value[1] === 'number'
}

function parseGraph(json: string): Graph | null {
	let value: unknown
	try {
		value = JSON.parse(json)
	} catch {
		return null
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
	const graph: Graph = {}
	for (const [id, node] of Object.entries(value)) {
		if (typeof node !== 'object' || node === null) continue
		const { class_type, inputs } = node as Partial<ComfyNode>
		if (typeof class_type === 'string' && typeof inputs === 'object' && inputs !== null)
			graph[id] = { class_type, inputs }
	}
	return Object.keys(graph).length > 0 ? graph : null
}

function target(graph: Graph, value: unknown): ComfyNode | undefined {
	return isLink(value) ? graph[String(value[0])] : undefined
}

/** A string input, following links to primitive/string nodes. */
function resolveString(graph: Graph, value: unknown, depth = 0): string | undefined {
	if (typeof value === 'string') return value
	const node = target(graph, value)
	if (!node || depth > MAX_DEPTH) return undefined
	for (const key of ['value', 'string', 'text', 'text_g'])
		if (key in node.inputs) return resolveString(graph, node.inputs[key], depth + 1)
	return undefined
}

/** A number input, following links to primitive/seed nodes. */
function resolveNumber(graph: Graph, value: unknown, depth = 0): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value
	const node = target(graph, value)
	if (!node || depth > MAX_DEPTH) return undefined
	for (const key of ['value', 'seed', 'noise_seed', 'int', 'number'])
		if (key in node.inputs) return resolveNumber(graph, node.inputs[key], depth + 1)
	return undefined
}

/** The prompt text behind a conditioning link ('' for a zeroed-out conditioning). */
function conditioningText(
	graph: Graph,
	link: unknown,
	side: 'positive' | 'negative',
	depth = 0,
): string | undefined {
	const node = target(graph, link)
	if (!node || depth > MAX_DEPTH) return undefined
	const { class_type: type, inputs } = node
	if (type === 'ConditioningZeroOut') return ''
	if (type.startsWith('CLIPTextEncode'))
		return resolveString(graph, inputs.text ?? inputs.text_g ?? inputs.prompt, depth + 1)
	if (type === 'ConditioningCombine' || type === 'ConditioningConcat') {
		const parts = ['conditioning_1', 'conditioning_2', 'conditioning_to', 'conditioning_from']
			.map((k) => conditioningText(graph, inputs[k], side, depth + 1))
			.filter((t): t is string => !!t)
		return parts.length > 0 ? parts.join(', ') : undefined
	}
	const next = inputs[side] ?? CONDITIONING_INPUTS.map((k) => inputs[k]).find(isLink)
	return conditioningText(graph, next, side, depth + 1)
}

/** Width and height of the empty latent a sampler starts from, through refiner passes. */
function latentSize(
	graph: Graph,
	link: unknown,
	depth = 0,
): { width: number; height: number } | null {
	const node = target(graph, link)
	if (!node || depth > MAX_DEPTH) return null
	if (/^Empty.*Latent/.test(node.class_type)) {
		const width = resolveNumber(graph, node.inputs.width)
		const height = resolveNumber(graph, node.inputs.height)
		return width && height ? { width, height } : null
	}
	const next = node.inputs.latent_image ?? node.inputs.samples ?? node.inputs.latent
	return latentSize(graph, next, depth + 1)
}

/** The checkpoint (or UNet) name behind a model link, through LoRA and patch nodes. */
function modelName(graph: Graph, link: unknown, depth = 0): string | undefined {
	const node = target(graph, link)
	if (!node || depth > MAX_DEPTH) return undefined
	const name = node.inputs.ckpt_name ?? node.inputs.unet_name
	if (name !== undefined) return resolveString(graph, name)
	return modelName(graph, node.inputs.model, depth + 1)
}

/**
 * The first-pass sampler: one that starts from an empty latent (a refiner pass starts from
 * another sampler's output), lowest node id first; otherwise the first sampler.
 */
function primarySampler(graph: Graph): ComfyNode | undefined {
	const samplers = Object.entries(graph)
		.filter(([, n]) => SAMPLERS.has(n.class_type))
		.sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b))
		.map(([, n]) => n)
	const fromEmpty = samplers.find((n) =>
		/^Empty.*Latent/.test(target(graph, n.inputs.latent_image)?.class_type ?? ''),
	)
	return fromEmpty ?? samplers[0]
}

export function recallFromComfyPrompt(json: string): ComfyRecall | null {
	const graph = parseGraph(json)
	const sampler = graph && primarySampler(graph)
	if (!graph || !sampler) return null
	let { inputs } = sampler
	// SamplerCustomAdvanced takes a guider (positive, negative, cfg) and a noise node (the seed).
	const guider = target(graph, inputs.guider)
	const noise = target(graph, inputs.noise)
	if (guider) inputs = { ...guider.inputs, ...inputs }
	const prompt = conditioningText(graph, inputs.positive ?? inputs.conditioning, 'positive')
	if (prompt === undefined) return null
	const negativePrompt = conditioningText(graph, inputs.negative, 'negative')
	const seed = resolveNumber(graph, inputs.seed ?? inputs.noise_seed ?? noise?.inputs.noise_seed)
	const size = latentSize(graph, inputs.latent_image)
	const params: Record<string, string | number> = {}
	for (const key of ['steps', 'cfg', 'sampler_name', 'scheduler', 'denoise']) {
		const value = inputs[key]
		if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))
			params[key] = value
	}
	const model = modelName(graph, inputs.model ?? guider?.inputs.model)
	if (model) params.model = model
	return {
		prompt,
		...(negativePrompt ? { negativePrompt } : {}),
		...(seed === undefined ? {} : { seed }),
		...(size ?? {}),
		params,
	}
}
