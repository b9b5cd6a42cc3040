/**
 * AUTOMATIC1111's "infotext" — the `parameters` PNG text chunk that A1111, Forge, SD.Next, Civitai
 * and most image browsers read. Ported from A1111's modules/infotext_utils.py (`quote`,
 * `unquote`, `parse_generation_parameters`) and processing.py (`create_infotext`):
 *
 * ```
 * <prompt, one or more lines>
 * Negative prompt: <negative prompt, one or more lines>
 * Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 965400086, Size: 512x512, Model: …
 * ```
 * The last line holds `Key: value` pairs joined by ", ". A value containing `,`, `:` or a newline
 * is written as a JSON string (`"a, b"`, with `"` and `\` escaped); the reader JSON-decodes any
 * value that starts and ends with `"`. The last line counts as parameters only if it holds at
 * least three pairs; otherwise it is part of the prompt.
 */

export type InfotextValue = string | number | boolean

export interface Infotext {
	prompt: string
	/** '' when there is none, as in A1111. */
	negativePrompt: string
	/** The parameter line's pairs, in order, values as written (unquoted). */
	params: Record<string, string>
}

// A1111: re_param_code = r'\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)'. Python's \w is
// Unicode-aware; JS's isn't, hence the property classes.
const PARAM = /\s*([\p{L}\p{M}\p{N}_][\p{L}\p{M}\p{N}_ \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)/gu
const KEY = /^[\p{L}\p{M}\p{N}_][\p{L}\p{M}\p{N}_ \-/]+$/u
const NEGATIVE = 'Negative prompt:'
/** Every character some reader splits lines at (Python's `splitlines` included). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C–U+001E split lines in Python.
const LINE_BREAKS = /[\n\v\f\r\u001c-\u001e\u0085\u2028\u2029]+/g
const HAS_LINE_BREAK = new RegExp(LINE_BREAKS.source)

/**
 * A1111's `quote`: values with `,`, `:` or a line break (any reader's) become JSON strings. Also quotes what A1111
 * would write bare but not read back: a value that starts and ends with `"` (the reader strips
 * them) or has space at either end (the reader trims it). Booleans read as Python's True/False.
 */
export function quoteInfotextValue(value: InfotextValue): string {
	const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value)
	const wrapped = text.length >= 2 && text.startsWith('"') && text.endsWith('"')
	if (!/[,:]/.test(text) && !HAS_LINE_BREAK.test(text) && !wrapped && text === text.trim())
		return text
	// JSON leaves U+0085, U+2028 and U+2029 raw; escaped, the value stays on its line.
	return JSON.stringify(text).replace(
		/[\u0085\u2028\u2029]/g,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
	)
}

/**
 * A prompt as one line. A1111 writes prompts verbatim, so a prompt holding "\nNegative prompt: …"
 * or "\nSteps: 20, Seed: 1, …" forges those lines for every reader. A1111 escapes line breaks in
 * the values it quotes; a prompt has no quoting, and a literal `\n` would reach the model, so each
 * run of line breaks becomes one space — to CLIP a line break is whitespace anyway, so the
 * recalled prompt makes the same image. The exact text stays in Arbor's own `arbor` chunk.
 */
function oneLine(text: string): string {
	return text.replace(LINE_BREAKS, ' ')
}

/** A1111's `unquote`: a value in double quotes is a JSON string; anything else is literal. */
export function unquoteInfotextValue(text: string): string {
	if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text
	try {
		const value: unknown = JSON.parse(text)
		return typeof value === 'string' ? value : text
	} catch {
		return text
	}
}

export interface InfotextInput {
	prompt: string
	negativePrompt?: string | null
	/** Written in insertion order; null and undefined values are left out, as A1111 does. */
	params: Readonly<Record<string, InfotextValue | null | undefined>>
}

/**
 * Formats an infotext as A1111's `create_infotext` does, with prompts on one line (`oneLine`).
 * Throws on a key A1111 could not read back (keys are 2+ characters of letters, digits, `_`,
 * space, `-`, `/`) and when there are no parameters.
 *
 * @example formatInfotext({ prompt: 'a cat', params: { Seed: 1, Size: '512x512', Model: 'x' } })
 * // 'a cat\nSeed: 1, Size: 512x512, Model: x'
 */
export function formatInfotext(input: InfotextInput): string {
	const pairs: string[] = []
	for (const [key, value] of Object.entries(input.params)) {
		if (value === null || value === undefined) continue
		if (!KEY.test(key)) throw new Error(`"${key}" cannot be an infotext key.`)
		pairs.push(`${key}: ${quoteInfotextValue(value)}`)
	}
	const negative = input.negativePrompt ? `\n${NEGATIVE} ${oneLine(input.negativePrompt)}` : ''
	// Without a parameter line of our own, a prompt whose last line holds three `Key: value` pairs
	// would be read as one.
	if (pairs.length === 0) throw new Error('An infotext needs at least one parameter.')
	return `${oneLine(input.prompt)}${negative}\n${pairs.join(', ')}`.trim()
}

/** Splits a parameter line into its pairs, values unquoted. */
export function parseInfotextParams(line: string): Record<string, string> {
	const params: Record<string, string> = {}
	for (const [, key, value] of line.matchAll(PARAM)) params[key] = unquoteInfotextValue(value)
	return params
}

/**
 * Parses an infotext as A1111's `parse_generation_parameters` does (without its UI defaults):
 * prompt lines, then from a line starting "Negative prompt:" the negative prompt, and the last
 * line as parameters when it has at least three pairs. Lines are trimmed, as in A1111.
 */
export function parseInfotext(text: string): Infotext {
	const lines = text.replace(/\r\n?/g, '\n').trim().split('\n')
	let last = lines.pop() ?? ''
	if ([...last.matchAll(PARAM)].length < 3) {
		lines.push(last)
		last = ''
	}
	let prompt = ''
	let negativePrompt = ''
	let inNegative = false
	for (const raw of lines) {
		let line = raw.trim()
		if (line.startsWith(NEGATIVE)) {
			inNegative = true
			line = line.slice(NEGATIVE.length).trim()
		}
		if (inNegative) negativePrompt += (negativePrompt === '' ? '' : '\n') + line
		else prompt += (prompt === '' ? '' : '\n') + line
	}
	return { prompt, negativePrompt, params: parseInfotextParams(last) }
}
