import { PROMPT_MAX_LENGTH } from '../../../shared/ops/params'

/** Where a prompt stands against the limit, for the counter beside the prompt bar. */
export interface PromptLimitView {
	/** Characters as the server counts them (trimmed). */
	length: number
	max: number
	/** "142 / 2,000". */
	counter: string
	/** "Prompts can be up to 2,000 characters". */
	limitText: string
	/** `near` from 90 % of the limit, `over` past it. */
	tone: 'ok' | 'near' | 'over'
	/** What to say when Generate is pressed: why it won't go, or null when it can. */
	refusal: string | null
}

const NUMBER = new Intl.NumberFormat('en-US')

/**
 * The counter and the refusal for a prompt. An empty prompt asks for one; a prompt over the
 * limit says by how much (it used to read "Write a prompt first", as if it were empty).
 */
export function promptLimitView(prompt: string, max = PROMPT_MAX_LENGTH): PromptLimitView {
	const length = prompt.trim().length
	const tone = length > max ? 'over' : length >= max * 0.9 ? 'near' : 'ok'
	let refusal: string | null = null
	if (length === 0) refusal = 'Write a prompt first.'
	else if (length > max)
		refusal = `The prompt is ${NUMBER.format(length)} characters; the limit is ${NUMBER.format(max)}. Shorten it by ${NUMBER.format(length - max)}.`
	return {
		length,
		max,
		counter: `${NUMBER.format(length)} / ${NUMBER.format(max)}`,
		limitText: `Prompts can be up to ${NUMBER.format(max)} characters`,
		tone,
		refusal,
	}
}
