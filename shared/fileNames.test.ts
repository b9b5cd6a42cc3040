import { describe, expect, it } from 'vitest'
import { fileSlug, imageFileName } from './fileNames'

describe('fileSlug', () => {
	it.each([
		['Harbour campaign: v2!', 'harbour-campaign-v2'],
		['Café «Crème» / ../etc/passwd', 'cafe-creme-etc-passwd'],
		['"quoted"\r\nheader', 'quoted-header'],
		['  ', ''],
	])('%s → %s', (text, slug) => {
		expect(fileSlug(text)).toBe(slug)
	})

	it('cuts long text at a word boundary', () => {
		const slug = fileSlug('a lighthouse at dusk over a calm sea with gulls and a red boat', 30)
		expect(slug.length).toBeLessThanOrEqual(30)
		expect(slug).toBe('a-lighthouse-at-dusk-over-a')
	})
})

describe('imageFileName', () => {
	const base = {
		boardName: 'Harbour campaign',
		prompt: 'a lighthouse at dusk',
		op: 'vary',
		index: 1,
		slots: 4,
		imageId: 'img_01JABCDEF',
		ext: 'png' as const,
	}

	it('names an image by board, prompt, op and place', () => {
		expect(imageFileName(base)).toBe('harbour-campaign_a-lighthouse-at-dusk_vary_2.png')
	})

	it('leaves out a hidden prompt and a single image’s place', () => {
		expect(imageFileName({ ...base, prompt: null, op: 'upscale', slots: 1, ext: 'webp' })).toBe(
			'harbour-campaign_upscale.webp',
		)
	})

	it('falls back to the image id when nothing else names it', () => {
		expect(imageFileName({ ...base, boardName: '✨', prompt: '', op: '', slots: 1 })).toBe(
			'img-01jabcdef.png',
		)
	})
})
