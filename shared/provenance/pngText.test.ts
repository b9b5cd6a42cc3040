import { zlibSync } from 'fflate'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { crc32 } from './crc32'
import {
	encodeTextChunk,
	isPng,
	PngFormatError,
	readPngTextChunks,
	writePngTextChunks,
} from './pngText'

/** A real PNG from an independent encoder, with one text chunk of its own. */
async function samplePng(): Promise<Uint8Array> {
	const png = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#3366cc' } })
		.png()
		.toBuffer()
	return writePngTextChunks(new Uint8Array(png), [['Software', 'sharp']])
}

/** A raw chunk, for building chunk types our writer never writes (zTXt, compressed iTXt). */
function rawChunk(type: string, data: Uint8Array): Uint8Array {
	const out = new Uint8Array(12 + data.length)
	new DataView(out.buffer).setUint32(0, data.length)
	out.set(new TextEncoder().encode(type), 4)
	out.set(data, 8)
	new DataView(out.buffer).setUint32(8 + data.length, crc32(out, 4, 8 + data.length))
	return out
}

function insertBeforeIend(png: Uint8Array, ...chunks: Uint8Array[]): Uint8Array {
	const extra = chunks.reduce((n, c) => n + c.length, 0)
	const out = new Uint8Array(png.length + extra)
	out.set(png.subarray(0, png.length - 12))
	let offset = png.length - 12
	for (const c of chunks) {
		out.set(c, offset)
		offset += c.length
	}
	out.set(png.subarray(png.length - 12), offset)
	return out
}

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
	Uint8Array.from(
		parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : [...p])),
	)

describe('crc32', () => {
	it('computes the standard CRC-32 check value', () => {
		expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
	})
})

describe('writePngTextChunks / readPngTextChunks', () => {
	it('round-trips Latin-1 as tEXt and anything else as UTF-8 iTXt', async () => {
		const entries: Array<[string, string]> = [
			['parameters', 'a café, "quoted"\nNegative prompt: blur\nSeed: 1, Size: 8x8, Model: m'],
			['arbor', JSON.stringify({ prompt: '明亮的湖泊 🌊', seed: 4294967295 })],
		]
		const png = writePngTextChunks(await samplePng(), entries)
		const chunks = readPngTextChunks(png)
		expect(chunks.map((c) => [c.keyword, c.text])).toEqual([['Software', 'sharp'], ...entries])
		expect(chunks.map((c) => c.type)).toEqual(['tEXt', 'tEXt', 'iTXt'])
	})

	it('keeps the image valid and readable by libpng, pixels untouched', async () => {
		const before = await samplePng()
		const after = writePngTextChunks(before, [['parameters', 'x'.repeat(5000)]])
		const [a, b] = await Promise.all([
			sharp(before).raw().toBuffer(),
			sharp(after).raw().toBuffer(),
		])
		expect(b.equals(a)).toBe(true)
		const meta = await sharp(after).metadata()
		expect(meta.comments).toContainEqual({ keyword: 'parameters', text: 'x'.repeat(5000) })
	})

	it('replaces chunks with the same keyword instead of duplicating them', async () => {
		const once = writePngTextChunks(await samplePng(), [['parameters', 'one']])
		const twice = writePngTextChunks(once, [['parameters', 'two']])
		expect(readPngTextChunks(twice).filter((c) => c.keyword === 'parameters')).toEqual([
			{ type: 'tEXt', keyword: 'parameters', text: 'two' },
		])
	})

	it('reads zTXt and compressed iTXt', async () => {
		const z = rawChunk(
			'zTXt',
			bytes('Comment', [0, 0], zlibSync(new TextEncoder().encode('zipped'))),
		)
		const i = rawChunk(
			'iTXt',
			bytes('Title', [0, 1, 0], 'fr', [0], 'Titre', [0], zlibSync(new TextEncoder().encode('été'))),
		)
		const chunks = readPngTextChunks(insertBeforeIend(await samplePng(), z, i))
		expect(chunks.slice(1)).toEqual([
			{ type: 'zTXt', keyword: 'Comment', text: 'zipped' },
			{
				type: 'iTXt',
				keyword: 'Title',
				text: 'été',
				languageTag: 'fr',
				translatedKeyword: 'Titre',
			},
		])
	})

	it('skips a text chunk whose CRC is wrong, and keeps the others', async () => {
		const good = encodeTextChunk('good', 'yes')
		const bad = encodeTextChunk('bad', 'no')
		bad[bad.length - 1] ^= 0xff
		const chunks = readPngTextChunks(insertBeforeIend(await samplePng(), bad, good))
		expect(chunks.map((c) => c.keyword)).toEqual(['Software', 'good'])
	})

	it('rejects what is not a PNG, or a truncated one, with PngFormatError', async () => {
		expect(isPng(bytes('GIF89a'))).toBe(false)
		expect(() => readPngTextChunks(bytes('GIF89a....'))).toThrow(PngFormatError)
		const png = await samplePng()
		expect(() => readPngTextChunks(png.subarray(0, png.length - 20))).toThrow(PngFormatError)
		expect(() => writePngTextChunks(png.subarray(0, 40), [['a', 'b']])).toThrow(PngFormatError)
	})

	it('refuses keywords PNG does not allow', () => {
		for (const keyword of ['', 'x'.repeat(80), ' lead', 'two  spaces', 'nul\0', '键'])
			expect(() => encodeTextChunk(keyword, 'v'), keyword).toThrow(/keyword/)
	})
})
