import { describe, expect, it } from 'vitest'
import { formatInfotext } from '../../shared/provenance/infotext'
import { writePngTextChunks } from '../../shared/provenance/pngText'
import { planDrop, sniffImageType, UPLOAD_MAX_BYTES } from './fileDrop'

// The smallest valid PNG (1 × 1), with no text chunks.
const PLAIN_PNG = Uint8Array.from(
	Buffer.from(
		'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
		'base64',
	),
)
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46])
const WEBP = new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ')
const PDF = new TextEncoder().encode('%PDF-1.7\n')

const file = (name: string, bytes: Uint8Array, size = bytes.length) => ({ name, size, bytes })

describe('sniffImageType', () => {
	it('knows PNG, JPEG and WebP by their signatures, nothing else', () => {
		expect(sniffImageType(PLAIN_PNG)).toBe('image/png')
		expect(sniffImageType(JPEG)).toBe('image/jpeg')
		expect(sniffImageType(WEBP)).toBe('image/webp')
		expect(sniffImageType(PDF)).toBeNull()
		expect(sniffImageType(new Uint8Array())).toBeNull()
	})
})

describe('planDrop', () => {
	it('recalls the prompt of a PNG with A1111 parameters', () => {
		const infotext = formatInfotext({
			prompt: 'a red kite over the dunes',
			negativePrompt: 'people',
			params: { Steps: 20, Seed: 1234, Size: '768x512' },
		})
		const png = writePngTextChunks(PLAIN_PNG, [['parameters', infotext]])
		const plan = planDrop(file('kite.png', png))
		expect(plan).toMatchObject({
			kind: 'recall',
			recall: {
				source: 'a1111',
				prompt: 'a red kite over the dunes',
				negativePrompt: 'people',
				seed: 1234,
				aspectRatio: '3:2',
			},
		})
	})

	it('uploads images that say nothing about how they were made', () => {
		expect(planDrop(file('photo.png', PLAIN_PNG))).toEqual({ kind: 'upload', mime: 'image/png' })
		expect(planDrop(file('photo.jpg', JPEG))).toEqual({ kind: 'upload', mime: 'image/jpeg' })
		// The name is only a claim: the bytes decide.
		expect(planDrop(file('photo.pdf', WEBP))).toEqual({ kind: 'upload', mime: 'image/webp' })
	})

	it('refuses files that are not images, and images too big to upload, saying why', () => {
		const notImage = planDrop(file('brief.pdf', PDF))
		expect(notImage).toMatchObject({ kind: 'reject' })
		expect(notImage.kind === 'reject' && notImage.message).toMatch(/brief\.pdf.*PNG, JPEG or WebP/)
		const huge = planDrop(file('huge.jpg', JPEG, UPLOAD_MAX_BYTES + 1))
		expect(huge.kind === 'reject' && huge.message).toMatch(/huge\.jpg.*10\.0 MB/)
	})
})
