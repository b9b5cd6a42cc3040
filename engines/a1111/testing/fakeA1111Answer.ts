import sharp from 'sharp'
import type { z } from 'zod'
import { readPngTextChunks } from '../../../shared/provenance/pngText'
import { type Canvas, decodeResized, encodePng, grid } from '../../testing/fakePaint'
import {
	decodeBase64Image,
	type ExtraSingleImageSchema,
	type FakeModel,
	infotextFor,
	type Txt2Img,
} from './fakeA1111Wire'

export interface AnswerInput {
	body: Txt2Img
	canvases: Canvas[]
	model: FakeModel
	sampler: string
	seed: number
	subseed: number
	allSeeds: number[]
	allSubseeds: number[]
	width: number
	height: number
	denoise: number | null
	/** A1111's `return_grid` option: a batch answer then starts with the grid. */
	returnGrid: boolean
}

/**
 * The images and `info` of a txt2img/img2img answer, as processing.py's Processed.js() writes
 * it: one PNG per image with its `parameters` infotext, the grid first when `return_grid` is on
 * (then `index_of_first_image` is 1 and `infotexts` has the grid's too).
 */
export async function buildAnswer(a: AnswerInput): Promise<{ images: string[]; info: string }> {
	const { body } = a
	const infotexts = a.allSeeds.map((seed, i) =>
		infotextFor({
			prompt: body.prompt,
			negativePrompt: body.negative_prompt,
			steps: body.steps,
			sampler: a.sampler,
			cfg: body.cfg_scale,
			seed,
			width: a.width,
			height: a.height,
			modelHash: a.model.hash,
			modelName: a.model.model_name,
			subseed: a.allSubseeds[i],
			subseedStrength: body.subseed_strength,
			denoise: a.denoise,
		}),
	)
	const images = await Promise.all(
		a.canvases.map((c, i) => encodePng(c, [['parameters', infotexts[i]]])),
	)
	let indexOfFirst = 0
	if (a.returnGrid && a.canvases.length > 1) {
		images.unshift(await encodePng(grid(a.canvases), [['parameters', infotexts[0]]]))
		infotexts.unshift(infotexts[0])
		indexOfFirst = 1
	}
	const info = {
		prompt: body.prompt,
		all_prompts: a.allSeeds.map(() => body.prompt),
		negative_prompt: body.negative_prompt,
		all_negative_prompts: a.allSeeds.map(() => body.negative_prompt),
		seed: a.seed,
		all_seeds: a.allSeeds,
		subseed: a.subseed,
		all_subseeds: a.allSubseeds,
		subseed_strength: body.subseed_strength,
		width: a.width,
		height: a.height,
		sampler_name: a.sampler,
		cfg_scale: body.cfg_scale,
		steps: body.steps,
		batch_size: body.batch_size,
		restore_faces: false,
		face_restoration_model: null,
		sd_model_name: a.model.model_name,
		sd_model_hash: a.model.hash,
		sd_vae_name: null,
		sd_vae_hash: null,
		seed_resize_from_w: -1,
		seed_resize_from_h: -1,
		denoising_strength: a.denoise,
		extra_generation_params: {},
		index_of_first_image: indexOfFirst,
		infotexts,
		styles: [],
		job_timestamp: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
		clip_skip: 1,
		is_using_inpainting_conditioning: false,
		version: 'v1.10.1',
	}
	return {
		images: body.send_images ? images.map((png) => Buffer.from(png).toString('base64')) : [],
		info: JSON.stringify(info),
	}
}

/** extra-single-image: the image scaled by `upscaling_resize`, its text chunks kept. */
export async function upscaleAnswer(body: z.infer<typeof ExtraSingleImageSchema>) {
	const input = decodeBase64Image(body.image)
	const meta = await sharp(input).metadata()
	const width = Math.round((meta.width ?? 0) * body.upscaling_resize)
	const height = Math.round((meta.height ?? 0) * body.upscaling_resize)
	const upscaled = await decodeResized(input, width, height)
	// PIL keeps the input's text chunks in image.info; A1111 adds its postprocessing note.
	const kept: Array<[string, string]> = readPngTextChunks(input).map((c) => [c.keyword, c.text])
	const note = `Postprocess upscale by: ${body.upscaling_resize}, Postprocess upscaler: ${body.upscaler_1}`
	const png = await encodePng(upscaled, [...kept, ['postprocessing', note]])
	return { image: Buffer.from(png).toString('base64'), html_info: `<p>${note}</p>` }
}
