import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { stripPngMetadata } from './pngStrip'
import { PngFormatError, readPngTextChunks, writePngTextChunks } from './pngText'

async function pngWithText() {
	const png = await sharp({
		create: { width: 8, height: 4, channels: 3, background: { r: 200, g: 40, b: 90 } },
	})
		.png()
		.toBuffer()
	return writePngTextChunks(new Uint8Array(png), [
		['parameters', 'a secret prompt\nSeed: 42'],
		['arbor', JSON.stringify({ prompt: 'a secret prompt', seed: 42 })],
		['comment', 'ünïcode goes to iTXt'],
	])
}

describe('stripPngMetadata', () => {
	it('removes every text chunk and keeps the pixels', async () => {
		const png = await pngWithText()
		expect(readPngTextChunks(png)).toHaveLength(3)
		const bare = stripPngMetadata(png)
		expect(readPngTextChunks(bare)).toEqual([])
		expect(Buffer.from(bare).toString('latin1')).not.toContain('secret')
		const [before, after] = await Promise.all(
			[png, bare].map((bytes) => sharp(bytes).raw().toBuffer()),
		)
		expect(after.equals(before)).toBe(true)
	})

	it('refuses bytes that are not a whole PNG', async () => {
		const png = await pngWithText()
		expect(() => stripPngMetadata(new Uint8Array([1, 2, 3]))).toThrow(PngFormatError)
		expect(() => stripPngMetadata(png.subarray(0, png.length - 12))).toThrow(PngFormatError)
	})
})
