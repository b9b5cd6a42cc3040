import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { PREVIEW_EVERY_MS, PREVIEW_MAX_PX } from '../../engines/previews'
import { waitFor } from '../test/factories'
import { PreviewStore } from './previews'

async function png(width: number, height: number, shade: number): Promise<Uint8Array> {
	const raw = new Uint8Array(width * height * 3).fill(shade)
	return new Uint8Array(
		await sharp(raw, { raw: { width, height, channels: 3 } })
			.png()
			.toBuffer(),
	)
}

describe('PreviewStore', () => {
	let store: PreviewStore | null = null
	afterEach(() => store?.close())

	it('shows at most one preview per job every half second, the newest one last', async () => {
		const shown: { n: number; at: number }[] = []
		store = new PreviewStore({ onPreview: (_jobId, n) => shown.push({ n, at: Date.now() }) })
		const frames = await Promise.all(Array.from({ length: 8 }, (_, i) => png(32, 32, i * 30)))
		const started = Date.now()
		for (const frame of frames) {
			store.put('job_a', frame)
			await new Promise((r) => setTimeout(r, 60))
		}
		const last = frames.at(-1)!
		// The last frame is shown once its turn comes, however long the puts took.
		await waitFor('the newest frame shown', async () => {
			const preview = store!.get('job_a')
			if (!preview) return false
			const { data } = await sharp(preview.bytes).raw().toBuffer({ resolveWithObject: true })
			const { data: want } = await sharp(last).raw().toBuffer({ resolveWithObject: true })
			return Math.abs(data[0] - want[0]) < 4
		})
		for (let i = 1; i < shown.length; i++)
			expect(shown[i].at - shown[i - 1].at).toBeGreaterThanOrEqual(PREVIEW_EVERY_MS - 2)
		// Eight frames over ~0.5 s became far fewer previews.
		const seconds = (Date.now() - started) / 1000
		expect(shown.length).toBeLessThanOrEqual(Math.ceil(seconds * 2) + 1)
		expect(shown.length).toBeLessThan(frames.length)
	})

	it('re-encodes a large frame to a WebP of at most 256 px a side', async () => {
		store = new PreviewStore({ onPreview: () => {} })
		store.put('job_b', await png(1024, 512, 90))
		const preview = await waitFor('a preview', () => store!.get('job_b'))
		const meta = await sharp(preview.bytes).metadata()
		expect(preview.mime).toBe('image/webp')
		expect(meta.format).toBe('webp')
		expect([meta.width, meta.height]).toEqual([PREVIEW_MAX_PX, PREVIEW_MAX_PX / 2])
	})

	it('drops bytes that are not an image, and every frame of a job once it ended', async () => {
		const shown: string[] = []
		store = new PreviewStore({ onPreview: (jobId) => shown.push(jobId) })
		store.put('job_c', new TextEncoder().encode('not an image'))
		store.put('job_d', await png(16, 16, 10))
		store.clear('job_d')
		store.put('job_e', await png(16, 16, 10))
		await waitFor('the good frame', () => store!.get('job_e'))
		expect(store.get('job_c')).toBeUndefined()
		expect(store.get('job_d')).toBeUndefined()
		expect(shown).toEqual(['job_e'])
	})
})
