import { z } from 'zod'
import { formatInfotext } from '../../../shared/provenance/infotext'

/**
 * The request bodies the fake A1111 accepts, with A1111's defaults (modules/api/models.py builds
 * them from StableDiffusionProcessing's signature; unknown fields are ignored, as pydantic does).
 */

const Common = {
	prompt: z.string().default(''),
	negative_prompt: z.string().default(''),
	seed: z.number().int().default(-1),
	subseed: z.number().int().default(-1),
	subseed_strength: z.number().min(0).max(1).default(0),
	batch_size: z.number().int().min(1).max(8).default(1),
	n_iter: z.number().int().min(1).max(8).default(1),
	steps: z.number().int().min(1).max(150).default(50),
	cfg_scale: z.number().default(7),
	width: z.number().int().min(64).max(4096).default(512),
	height: z.number().int().min(64).max(4096).default(512),
	sampler_name: z.string().nullable().default(null),
	scheduler: z.string().nullable().default(null),
	override_settings: z.record(z.string(), z.unknown()).default({}),
	send_images: z.boolean().default(true),
	save_images: z.boolean().default(false),
	force_task_id: z.string().nullable().default(null),
	denoising_strength: z.number().min(0).max(1).nullable().default(null),
}

export const Txt2ImgSchema = z.looseObject(Common)
export type Txt2Img = z.infer<typeof Txt2ImgSchema>

export const Img2ImgSchema = z.looseObject({
	...Common,
	init_images: z.array(z.string()).min(1),
	mask: z.string().nullable().default(null),
	denoising_strength: z.number().min(0).max(1).default(0.75),
	resize_mode: z.number().int().default(0),
	inpainting_fill: z.number().int().default(0),
	inpaint_full_res: z.boolean().default(true),
	mask_blur: z.number().int().default(4),
	include_init_images: z.boolean().default(false),
})
export type Img2Img = z.infer<typeof Img2ImgSchema>

export const ExtraSingleImageSchema = z.looseObject({
	image: z.string().min(1),
	resize_mode: z.number().int().default(0),
	upscaling_resize: z.number().positive().max(8).default(2),
	upscaling_resize_w: z.number().int().default(512),
	upscaling_resize_h: z.number().int().default(512),
	upscaler_1: z.string().default('None'),
})

export const ProgressRequestSchema = z.looseObject({
	id_task: z.string().nullable().default(null),
	id_live_preview: z.number().int().default(-1),
	live_preview: z.boolean().default(true),
})

/** pydantic's 422 answer. */
export function validationDetail(error: z.ZodError) {
	return {
		detail: error.issues.map((issue) => ({
			loc: ['body', ...issue.path.map(String)],
			msg: issue.message,
			type: 'value_error',
		})),
	}
}

/** The answer A1111's api_middleware renders for an exception (500 unless it is an HTTPException). */
export function exceptionBody(error: string, message: string, detail = '') {
	return { error, detail, body: '', errors: message }
}

/** Base64 as A1111 accepts it: bare, or a data: URI. */
export function decodeBase64Image(encoded: string): Uint8Array {
	const bare = encoded.startsWith('data:image/') ? encoded.slice(encoded.indexOf(',') + 1) : encoded
	return new Uint8Array(Buffer.from(bare, 'base64'))
}

export interface FakeModel {
	title: string
	model_name: string
	hash: string
	sha256: string
	filename: string
	config: null
}

export function fakeModel(name: string, hash: string): FakeModel {
	return {
		title: `${name}.safetensors [${hash}]`,
		model_name: name,
		hash,
		sha256: hash.padEnd(64, '0'),
		filename: `/models/Stable-diffusion/${name}.safetensors`,
		config: null,
	}
}

export const SAMPLERS = ['DPM++ 2M', 'Euler a', 'Euler', 'DDIM', 'DPM++ SDE'].map((name) => ({
	name,
	aliases: [name.toLowerCase().replace(/[^a-z0-9]+/g, '_')],
	options: {},
}))

export const UPSCALERS = [
	{ name: 'None', scale: 4 },
	{ name: 'Lanczos', scale: 4 },
	{ name: 'Nearest', scale: 4 },
	{ name: 'ESRGAN_4x', scale: 4 },
	{ name: 'R-ESRGAN 4x+', scale: 4 },
].map((u) => ({ ...u, model_name: null, model_path: null, model_url: null }))

export interface InfotextFields {
	prompt: string
	negativePrompt: string
	steps: number
	sampler: string
	cfg: number
	seed: number
	width: number
	height: number
	modelHash: string
	modelName: string
	subseed: number
	subseedStrength: number
	denoise: number | null
}

/** The `parameters` text A1111's create_infotext writes for one image. */
export function infotextFor(f: InfotextFields): string {
	return formatInfotext({
		prompt: f.prompt,
		negativePrompt: f.negativePrompt,
		params: {
			Steps: f.steps,
			Sampler: f.sampler,
			'Schedule type': 'Automatic',
			'CFG scale': f.cfg,
			Seed: f.seed,
			Size: `${f.width}x${f.height}`,
			'Model hash': f.modelHash,
			Model: f.modelName,
			'Variation seed': f.subseedStrength > 0 ? f.subseed : null,
			'Variation seed strength': f.subseedStrength > 0 ? f.subseedStrength : null,
			'Denoising strength': f.denoise,
			Version: 'v1.10.1',
		},
	})
}
