import {
	type AspectRatio,
	type ImagineParams,
	ImagineParamsSchema,
} from '../../../shared/ops/params'

/** The prompt bar's parameter fields as typed (the seed stays text until it is sent). */
export interface ImagineFields {
	aspectRatio: AspectRatio
	/** Empty: a random seed. */
	seed: string
	chaos: number
	stylize: number
	negativePrompt: string
}

export const DEFAULT_FIELDS: ImagineFields = {
	aspectRatio: '1:1',
	seed: '',
	chaos: 0,
	stylize: 100,
	negativePrompt: '',
}

export type ParamsResult = { ok: true; params: ImagineParams } | { ok: false; message: string }

/** The fields as `imagine` params, checked by the same schema the server applies. */
export function imagineParamsFrom(fields: ImagineFields): ParamsResult {
	const seedText = fields.seed.trim()
	if (seedText !== '' && !/^\d+$/.test(seedText))
		return { ok: false, message: 'The seed is a whole number (or empty for a random one).' }
	const negativePrompt = fields.negativePrompt.trim()
	const parsed = ImagineParamsSchema.safeParse({
		aspectRatio: fields.aspectRatio,
		chaos: fields.chaos,
		stylize: fields.stylize,
		...(seedText === '' ? {} : { seed: Number(seedText) }),
		...(negativePrompt ? { negativePrompt } : {}),
	})
	if (!parsed.success)
		return {
			ok: false,
			message:
				seedText !== '' ? 'The seed must be between 0 and 4294967295.' : 'Check the parameters.',
		}
	return { ok: true, params: parsed.data }
}

/** What differs from the defaults, briefly: "chaos 40 · seed 7 · avoid". Empty when nothing does. */
export function paramsSummary(fields: ImagineFields): string[] {
	const parts: string[] = []
	if (fields.chaos !== DEFAULT_FIELDS.chaos) parts.push(`chaos ${fields.chaos}`)
	if (fields.stylize !== DEFAULT_FIELDS.stylize) parts.push(`stylize ${fields.stylize}`)
	if (fields.seed.trim() !== '') parts.push(`seed ${fields.seed.trim()}`)
	if (fields.negativePrompt.trim() !== '') parts.push('avoid')
	return parts
}
