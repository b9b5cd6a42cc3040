import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { crc32 } from '../../shared/provenance/crc32'
import { readPngTextChunks } from '../../shared/provenance/pngText'
import { encodePng, encodePngAsync } from './png'
import { decodePng } from './testPixels'

function noiseImage(width: number, height: number): Uint8Array {
	const rgb = new Uint8Array(width * height * 3)
	let s = 12345
	for (let i = 0; i < rgb.length; i++) {
		s = (Math.imul(s, 1103515245) + 12345) >>> 0
		// Half smooth ramp, half noise: exercises the Sub filter's wrap-around arithmetic.
		rgb[i] = i % 2 === 0 ? (i >> 3) & 255 : s >>> 24
	}
	return rgb
}

describe('encodePng', () => {
	it('computes the standard CRC-32', () => {
		expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
	})

	it('round-trips through an independent decoder to the same pixels', async () => {
		for (const [width, height] of [
			[1, 1],
			[7, 3],
			[64, 40],
		]) {
			const rgb = noiseImage(width, height)
			const raw = await decodePng(encodePng({ width, height, rgb }))
			expect({ width: raw.width, height: raw.height, channels: raw.channels }).toEqual({
				width,
				height,
				channels: 3,
			})
			expect(Buffer.from(raw.data).equals(Buffer.from(rgb))).toBe(true)
		}
	})

	it('writes tEXt chunks that decoders read back', async () => {
		const png = encodePng({
			width: 2,
			height: 2,
			rgb: new Uint8Array(12),
			text: [
				['arbor:seed', '42'],
				['Software', 'Arbor'],
			],
		})
		const meta = await sharp(png).metadata()
		expect(meta.comments).toEqual([
			{ keyword: 'arbor:seed', text: '42' },
			{ keyword: 'Software', text: 'Arbor' },
		])
	})

	it('gives the same bytes sync and async', async () => {
		const image = { width: 33, height: 17, rgb: noiseImage(33, 17) }
		expect(Buffer.from(await encodePngAsync(image)).equals(Buffer.from(encodePng(image)))).toBe(
			true,
		)
	})

	it('rejects a buffer of the wrong size; writes non-Latin-1 text as UTF-8 iTXt', () => {
		expect(() => encodePng({ width: 2, height: 2, rgb: new Uint8Array(11) })).toThrow(
			/12 RGB bytes/,
		)
		const png = encodePng({
			width: 1,
			height: 1,
			rgb: new Uint8Array(3),
			text: [['k', 'π ≈ 3.14']],
		})
		expect(readPngTextChunks(png)).toMatchObject([{ keyword: 'k', text: 'π ≈ 3.14' }])
	})
})
