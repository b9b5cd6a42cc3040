import sharp from 'sharp'
import type { ApiGraph } from '../protocol'

// The fake ComfyUI's node library: the classes Arbor's graphs use, their inputs (for
// `/object_info` and validation), and a minimal executor that works out each output's size and
// batch from the graph and paints seeded solid PNGs of that size.

const T = (type: string) => [type, {}]
const list = (values: string[]) => [values, {}]

export function objectInfo(lists: {
	checkpoints: string[]
	upscaleModels: string[]
	inputs: string[]
}) {
	const required = (inputs: Record<string, unknown>) => ({
		input: { required: inputs },
		output: [],
	})
	return {
		CheckpointLoaderSimple: required({ ckpt_name: list(lists.checkpoints) }),
		CLIPTextEncode: required({ text: T('STRING'), clip: T('CLIP') }),
		EmptyLatentImage: required({ width: T('INT'), height: T('INT'), batch_size: T('INT') }),
		KSampler: required({
			model: T('MODEL'),
			seed: T('INT'),
			steps: T('INT'),
			cfg: T('FLOAT'),
			sampler_name: list(['euler', 'euler_ancestral', 'dpmpp_2m']),
			scheduler: list(['normal', 'karras']),
			positive: T('CONDITIONING'),
			negative: T('CONDITIONING'),
			latent_image: T('LATENT'),
			denoise: T('FLOAT'),
		}),
		VAEDecode: required({ samples: T('LATENT'), vae: T('VAE') }),
		VAEEncode: required({ pixels: T('IMAGE'), vae: T('VAE') }),
		VAEEncodeForInpaint: required({
			pixels: T('IMAGE'),
			vae: T('VAE'),
			mask: T('MASK'),
			grow_mask_by: T('INT'),
		}),
		RepeatLatentBatch: required({ samples: T('LATENT'), amount: T('INT') }),
		SaveImage: required({ images: T('IMAGE'), filename_prefix: T('STRING') }),
		PreviewImage: required({ images: T('IMAGE') }),
		LoadImage: required({ image: list(lists.inputs) }),
		EmptyImage: required({
			width: T('INT'),
			height: T('INT'),
			batch_size: T('INT'),
			color: T('INT'),
		}),
		ImageScale: required({
			image: T('IMAGE'),
			upscale_method: list(['nearest-exact', 'bilinear', 'lanczos']),
			width: T('INT'),
			height: T('INT'),
			crop: list(['disabled', 'center']),
		}),
		ImageScaleBy: required({
			image: T('IMAGE'),
			upscale_method: T('STRING'),
			scale_by: T('FLOAT'),
		}),
		ImagePadForOutpaint: required({
			image: T('IMAGE'),
			left: T('INT'),
			top: T('INT'),
			right: T('INT'),
			bottom: T('INT'),
			feathering: T('INT'),
		}),
		UpscaleModelLoader: required({ model_name: list(lists.upscaleModels) }),
		ImageUpscaleWithModel: required({ upscale_model: T('UPSCALE_MODEL'), image: T('IMAGE') }),
	} as Record<string, { input: { required: Record<string, [unknown, object]> } }>
}

type Info = ReturnType<typeof objectInfo>
type NodeErrors = Record<
	string,
	{ errors: { type: string; message: string; details: string }[]; class_type: string }
>

const isLink = (v: unknown): v is [string, number] =>
	Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number'

/** ComfyUI's validation before queueing: unknown classes, missing inputs, values not in a list. */
export function validateGraph(
	graph: ApiGraph,
	info: Info,
): { error: string; nodeErrors: NodeErrors } | null {
	const nodeErrors: NodeErrors = {}
	for (const [id, node] of Object.entries(graph)) {
		const spec = info[node.class_type]
		if (!spec)
			return { error: `Cannot execute because node ${node.class_type} does not exist.`, nodeErrors }
		const errors = []
		for (const [name, [type]] of Object.entries(spec.input.required)) {
			const value = node.inputs[name]
			if (value === undefined)
				errors.push({
					type: 'required_input_missing',
					message: 'Required input is missing',
					details: name,
				})
			else if (isLink(value) && !graph[value[0]])
				errors.push({ type: 'bad_linked_input', message: 'Bad linked input', details: name })
			else if (Array.isArray(type) && !isLink(value) && !type.includes(value))
				errors.push({
					type: 'value_not_in_list',
					message: 'Value not in list',
					details: `${name}: '${String(value)}' not in ${JSON.stringify(type).slice(0, 200)}`,
				})
		}
		if (errors.length > 0) nodeErrors[id] = { errors, class_type: node.class_type }
	}
	if (!Object.values(graph).some((n) => n.class_type === 'SaveImage'))
		return { error: 'Prompt has no outputs', nodeErrors }
	return Object.keys(nodeErrors).length > 0
		? { error: 'Prompt outputs failed validation', nodeErrors }
		: null
}

interface Pixels {
	width: number
	height: number
	batch: number
	seed: number
	text: string
}

/** Works out what a link carries (size, batch, seed, prompt text), following the graph. */
async function evaluate(
	graph: ApiGraph,
	value: unknown,
	inputSize: (name: string) => Promise<{ width: number; height: number }>,
): Promise<Pixels> {
	if (!isLink(value)) throw new Error('expected a link')
	const node = graph[value[0]]
	const i = node.inputs
	const from = (name: string) => evaluate(graph, i[name], inputSize)
	const n = (name: string) => Number(i[name])
	switch (node.class_type) {
		case 'LoadImage':
			return { ...(await inputSize(String(i.image))), batch: 1, seed: 0, text: '' }
		case 'EmptyImage':
		case 'EmptyLatentImage':
			return { width: n('width'), height: n('height'), batch: n('batch_size'), seed: 0, text: '' }
		case 'ImageScale':
			return { ...(await from('image')), width: n('width'), height: n('height') }
		case 'ImageScaleBy': {
			const p = await from('image')
			return {
				...p,
				width: Math.round(p.width * n('scale_by')),
				height: Math.round(p.height * n('scale_by')),
			}
		}
		case 'ImageUpscaleWithModel': {
			const p = await from('image')
			return { ...p, width: p.width * 4, height: p.height * 4 }
		}
		case 'ImagePadForOutpaint': {
			const p = await from('image')
			return {
				...p,
				width: p.width + n('left') + n('right'),
				height: p.height + n('top') + n('bottom'),
			}
		}
		case 'RepeatLatentBatch': {
			const p = await from('samples')
			return { ...p, batch: p.batch * n('amount') }
		}
		case 'VAEEncode':
		case 'VAEEncodeForInpaint':
			return from('pixels')
		case 'VAEDecode':
			return from('samples')
		case 'KSampler': {
			const p = await from('latent_image')
			const positive = graph[(i.positive as [string, number])[0]]
			return { ...p, seed: n('seed'), text: String(positive?.inputs.text ?? '') }
		}
		default:
			throw new Error(`the fake cannot execute ${node.class_type}`)
	}
}

/** The SaveImage outputs of a graph: PNGs of the computed size, a colour per (seed, index, text). */
export async function executeGraph(
	graph: ApiGraph,
	inputSize: (name: string) => Promise<{ width: number; height: number }>,
): Promise<Map<string, Uint8Array[]>> {
	const outputs = new Map<string, Uint8Array[]>()
	for (const [id, node] of Object.entries(graph)) {
		if (node.class_type !== 'SaveImage') continue
		const p = await evaluate(graph, node.inputs.images, inputSize)
		const pngs: Uint8Array[] = []
		for (let k = 0; k < p.batch; k++) {
			let h = (p.seed * 2654435761 + k * 40503) >>> 0
			for (const ch of p.text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0
			const background = { r: h & 255, g: (h >>> 8) & 255, b: (h >>> 16) & 255 }
			pngs.push(
				new Uint8Array(
					await sharp({ create: { width: p.width, height: p.height, channels: 3, background } })
						.png()
						.toBuffer(),
				),
			)
		}
		outputs.set(id, pngs)
	}
	return outputs
}
