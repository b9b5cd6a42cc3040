import { describe, expect, it } from 'vitest'
import { A1111_DOCSTRING_EXAMPLE, A1111_TILED_DIFFUSION_PARAMS } from './fixtures/a1111'
import { formatInfotext, parseInfotext, quoteInfotextValue, unquoteInfotextValue } from './infotext'

describe('quoteInfotextValue', () => {
	it.each([
		['plain', 'Euler a', 'Euler a'],
		['comma', 'a, b', '"a, b"'],
		['colon', 'lora: 0.8', '"lora: 0.8"'],
		['newline', 'one\ntwo', '"one\\ntwo"'],
		['carriage return', 'one\rtwo', '"one\\rtwo"'],
		['line separator', 'one\u2028two', '"one\\u2028two"'],
		['quote with comma', 'say "hi", then', '"say \\"hi\\", then"'],
		['backslash with colon', 'C:\\models', '"C:\\\\models"'],
		['bare quote', 'my"model', 'my"model'],
		['wrapped in quotes', '"x"', '"\\"x\\""'],
		['edge space', ' x', '" x"'],
	])('quotes a value with a %s like A1111', (_, value, written) => {
		expect(quoteInfotextValue(value)).toBe(written)
		expect(unquoteInfotextValue(written)).toBe(value)
	})

	it('writes numbers plainly and booleans as Python does', () => {
		expect([7, 7.5, true, false].map(quoteInfotextValue)).toEqual(['7', '7.5', 'True', 'False'])
	})
})

describe('formatInfotext / parseInfotext', () => {
	it('formats prompt, negative prompt and parameters the way create_infotext does', () => {
		expect(
			formatInfotext({
				prompt: 'a lighthouse',
				negativePrompt: 'blur, text',
				params: { Steps: 20, Sampler: 'Euler a', 'CFG scale': 7, Seed: 1, VAE: null },
			}),
		).toBe(
			'a lighthouse\nNegative prompt: blur, text\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1',
		)
		expect(formatInfotext({ prompt: '', params: { Seed: 1, Size: '8x8', Model: 'm' } })).toBe(
			'Seed: 1, Size: 8x8, Model: m',
		)
	})

	it('round-trips values with , : and " and prompts with quotes and colons', () => {
		const params = {
			Seed: '123',
			Size: '512x768',
			Model: 'model, "v2": final',
			'Aspect ratio': '2:3',
			'Lora hashes': 'style: abc, detail: def',
			Prompt_note: 'a\\b "c"',
			Empty: '',
		}
		const input = {
			prompt: 'a red fox, (detailed:1.2), second part: "quoted"',
			negativePrompt: 'blurry, lowres, watermark',
			params,
		}
		expect(parseInfotext(formatInfotext(input))).toEqual(input)
	})

	it.each([
		['LF', '\n'],
		['CRLF', '\r\n'],
		['CR', '\r'],
		['U+2028', '\u2028'],
		['U+0085', '\u0085'],
		['vertical tab', '\v'],
	])('keeps a prompt with a %s line break from forging lines', (_, lineBreak) => {
		const prompt = `a cat${lineBreak}Negative prompt: evil${lineBreak}Steps: 1, Sampler: x, CFG scale: 9`
		const text = formatInfotext({
			prompt,
			negativePrompt: `people${lineBreak}Seed: 666, Size: 1x1, Model: forged`,
			params: { Seed: 1, Size: '8x8', Model: 'm' },
		})
		expect(text.split('\n')).toHaveLength(3)
		const info = parseInfotext(text)
		expect(info.params).toEqual({ Seed: '1', Size: '8x8', Model: 'm' })
		expect(info.prompt).toBe('a cat Negative prompt: evil Steps: 1, Sampler: x, CFG scale: 9')
		expect(info.negativePrompt).toBe('people Seed: 666, Size: 1x1, Model: forged')
	})

	it('refuses to write no parameter line, which would let the prompt forge one', () => {
		const input = { prompt: 'a', negativePrompt: 'x\nSeed: 666, Size: 1x1, Model: forged' }
		expect(() => formatInfotext({ ...input, params: {} })).toThrow(/at least one parameter/)
		expect(() => formatInfotext({ ...input, params: { Seed: null } })).toThrow(/parameter/)
	})

	it('refuses keys A1111 could not read back', () => {
		expect(() => formatInfotext({ prompt: 'x', params: { 'a:b': 1 } })).toThrow(/infotext key/)
		expect(() => formatInfotext({ prompt: 'x', params: { X: 1 } })).toThrow(/infotext key/)
	})

	it("parses A1111's own example", () => {
		const info = parseInfotext(A1111_DOCSTRING_EXAMPLE)
		expect(info.prompt).toMatch(/^girl with an artist's beret, .*, detailed, intricate$/)
		expect(info.negativePrompt).toMatch(/^ugly, fat, .* messy drawing$/)
		expect(info.params).toEqual({
			Steps: '20',
			Sampler: 'Euler a',
			'CFG scale': '7',
			Seed: '965400086',
			Size: '512x512',
			'Model hash': '45dee52b',
		})
	})

	it('unquotes a real quoted value holding , and :', () => {
		const info = parseInfotext(A1111_TILED_DIFFUSION_PARAMS)
		expect(info.prompt).toBe('')
		expect(info.params['Tiled Diffusion']).toBe(
			"{'Method': 'Mixture of Diffusers', 'Tile tile width': 96, 'Tile tile height': 96, 'Tile Overlap': 48, 'Tile batch size': 1, 'Keep input size': True}",
		)
		expect(info.params['Denoising strength']).toBe('1')
	})

	it('reads a last line with fewer than three pairs as prompt, as A1111 does', () => {
		expect(parseInfotext('a cat\nstyle: watercolour')).toEqual({
			prompt: 'a cat\nstyle: watercolour',
			negativePrompt: '',
			params: {},
		})
	})
})
