import type { Browser } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/server'
import { formatInfotext } from '../shared/provenance/infotext'
import { writePngTextChunks } from '../shared/provenance/pngText'
import { acceptInvitation, newUserPage, startE2e } from './browser'
import {
	candidateOf,
	dropFile,
	newNode,
	nodeOf,
	screenshot,
	signUp,
	waitForImages,
	waitOnline,
} from './steeringKit'

// Steering in two browsers: imagine with parameters → remix with an edited prompt → zoom out →
// upscale (the commit loop, confirmed at the quoted price) → the final, framed, in the second
// browser and in the finals view; then files dropped on the canvas (recall, upload, refusal).

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	world = await startE2e({ name: 'steering' })
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

const PROMPT = 'a lighthouse at dusk over a calm sea'
const REMIXED = 'a lighthouse at dusk in a violent storm'

describe('steering in two browsers', () => {
	it('imagine → remix → zoom out → upscale with confirmation; the final reaches the second browser', async () => {
		const a = await newUserPage(browser, server.url)
		const b = await newUserPage(browser, server.url)
		// tldraw animates the camera unless motion is reduced: drops and clicks land where aimed.
		await Promise.all([a, b].map(({ page }) => page.emulateMedia({ reducedMotion: 'reduce' })))
		const stamp = Date.now()
		await signUp(a.page, 'Ada', `ada-${stamp}@example.com`)
		await signUp(b.page, 'Ben', `ben-${stamp}@example.com`)
		await a.page.getByTestId('board-name-input').fill('Storm study')
		await a.page.getByTestId('board-create').click()
		await a.page.waitForURL(/\/boards\/brd_/)
		const boardId = a.page.url().split('/boards/')[1]
		const invite = await a.context.request.post(`/api/boards/${boardId}/members`, {
			data: { email: `ben-${stamp}@example.com`, role: 'editor' },
		})
		expect(invite.status()).toBe(201)
		await acceptInvitation(b, invite)
		await b.page.goto(`/boards/${boardId}`)
		await Promise.all([waitOnline(a.page), waitOnline(b.page)])
		const known = new Set<string>()

		// Imagine, with parameters from the prompt bar's Parameters section.
		await a.page.getByTestId('prompt-input').fill(PROMPT)
		await a.page.getByTestId('params-toggle').click()
		await a.page.getByTestId('param-seed').fill('4242')
		await a.page.getByTestId('param-chaos').fill('40')
		await a.page.getByTestId('param-negative').fill('boats')
		await expect.poll(() => a.page.getByTestId('params-count').textContent()).toBe('3')
		await screenshot(a.page, '01-imagine-parameters')
		await a.page.getByTestId('prompt-submit').click()
		const imagine = await newNode(a.page, known)
		await waitForImages(a.page, imagine, 4)
		const imagineJob = await (
			await a.context.request.get(`/api/boards/${boardId}/jobs/${imagine}`)
		).json()
		expect(imagineJob.job.params).toMatchObject({ seed: 4242, chaos: 40 })
		// Provenance records the negative prompt in its own field.
		const firstImage = await (
			await a.context.request.get(`/api/boards/${boardId}/images/${imagineJob.job.images[0].id}`)
		).json()
		expect(firstImage.image.negativePrompt).toBe('boats')

		// Pick candidate 2: the action bar appears under the node; the inspector calls it a root.
		await candidateOf(a.page, imagine, 1).click()
		await a.page.getByTestId('action-bar').waitFor()
		await a.page.getByTestId('inspector-diff-root').waitFor()
		await screenshot(a.page, '02-action-bar')

		// Remix (M): the prompt editor opens prefilled; edit it, Enter runs it.
		await a.page.keyboard.press('m')
		const remixInput = a.page.getByTestId('remix-input')
		await expect.poll(() => remixInput.inputValue()).toBe(PROMPT)
		await remixInput.fill(REMIXED)
		await screenshot(a.page, '03-remix-editor')
		await remixInput.press('Enter')
		const remix = await newNode(a.page, known)
		await waitForImages(a.page, remix, 4)

		// The remix's candidate: its parent path lights up; the inspector diffs the edited words.
		await candidateOf(a.page, remix, 0).click()
		await a.page.getByTestId('inspector-diff').waitFor()
		await expect.poll(() => a.page.getByTestId('diff-op').textContent()).toBe('Remix')
		await expect
			.poll(() => a.page.getByTestId('diff-added').allTextContents())
			.toEqual(['in a violent storm'])
		await expect
			.poll(() => a.page.getByTestId('diff-removed').allTextContents())
			.toEqual(['over a calm sea'])
		await expect.poll(() => a.page.getByTestId('lineage-crumb').count()).toBe(2)
		await expect.poll(() => nodeOf(a.page, imagine).getAttribute('data-lineage')).toBe('ancestor')
		await expect
			.poll(() => a.page.locator('[data-testid="prompt-card"][data-lineage="ancestor"]').count())
			.toBe(1)
		await screenshot(a.page, '04-lineage-and-diff')
		await a.page.getByTestId('inspector-keys').scrollIntoViewIfNeeded()
		await screenshot(a.page, '04b-inspector-keys')

		// Zoom out 2× by its key (W).
		await a.page.keyboard.press('w')
		const zoom = await newNode(a.page, known)
		await waitForImages(a.page, zoom, 4)
		await candidateOf(a.page, zoom, 2).click()
		await expect.poll(() => a.page.getByTestId('diff-op').textContent()).toBe('Zoom out 2×')
		await expect.poll(() => a.page.getByTestId('lineage-crumb').count()).toBe(3)
		const zoomImageId = await candidateOf(a.page, zoom, 2).getAttribute('data-image-id')

		// Upscale (commit loop): the dialog shows the server's exact price and the balance after.
		const quote = await (
			await a.context.request.post(`/api/boards/${boardId}/jobs/quote`, {
				data: { op: 'upscale', parentImageId: zoomImageId, params: { mode: 'subtle', factor: 2 } },
			})
		).json()
		await a.page.getByTestId('action-upscale').click()
		await a.page.getByTestId('upscale-menu').waitFor()
		await screenshot(a.page, '05-upscale-menu')
		await a.page.getByTestId('upscale-subtle-2').click()
		await a.page.getByTestId('confirm-dialog').waitFor()
		await expect
			.poll(() => a.page.getByTestId('confirm-price').textContent())
			.toBe(`${quote.price} credits`)
		await expect
			.poll(() => a.page.getByTestId('confirm-remaining').textContent())
			.toBe(`${quote.balance - quote.price} credits`)
		await screenshot(a.page, '06-confirm-upscale')
		await a.page.getByTestId('confirm-ok').click()
		const final = await newNode(a.page, known)
		await expect.poll(() => nodeOf(a.page, final).getAttribute('data-kind')).toBe('final')
		// ESRGAN on the CPU.
		await waitForImages(a.page, final, 1, 90_000)
		await expect
			.poll(() => candidateOf(a.page, zoom, 2).getAttribute('data-committed'))
			.toBe('true')
		await screenshot(a.page, '07-final-in-A')

		// The second browser sees the framed final and the committed candidate.
		await b.page.mouse.click(720, 140)
		await b.page.keyboard.press('Shift+1')
		await waitForImages(b.page, final, 1, 30_000)
		await nodeOf(b.page, final).getByTestId('final-badge').waitFor()
		// Committed: the candidate it was made from, and the final itself (locked).
		await expect.poll(() => b.page.locator('[data-testid="committed-badge"]').count()).toBe(2)
		await nodeOf(b.page, final).getByTestId('committed-badge').waitFor()
		await screenshot(b.page, '08-final-in-B')

		// B's finals view: the final with its lineage chain and downloads.
		await b.page.getByTestId('finals-toggle').click()
		await b.page.getByTestId('final-item').waitFor()
		await expect.poll(() => b.page.getByTestId('final-lineage-step').count()).toBe(3)
		expect(await b.page.getByTestId('finals-download-all').getAttribute('href')).toBe(
			`/api/boards/${boardId}/finals.zip`,
		)
		const download = await b.context.request.get(
			(await b.page.getByTestId('final-download').getAttribute('href')) ?? '',
		)
		expect(download.headers()['content-disposition']).toMatch(/^attachment/)
		await screenshot(b.page, '09-finals-view')

		// B rerolls the first grid from its header: same prompt, new seeds, a new grid beside it.
		await b.page.getByTestId('finals-close').click()
		await nodeOf(b.page, imagine).getByTestId('node-reroll').click()
		const reroll = await newNode(b.page, known)
		await waitForImages(b.page, reroll, 4)
		const rerollJob = await (
			await b.context.request.get(`/api/boards/${boardId}/jobs/${reroll}`)
		).json()
		expect(rerollJob.job).toMatchObject({ op: 'reroll', parentJobId: imagine, prompt: PROMPT })

		// Files dropped on A's canvas: a PNG that says how it was made, a plain one, a non-image.
		const base = await sharp({
			create: { width: 96, height: 64, channels: 3, background: { r: 40, g: 90, b: 120 } },
		})
			.png()
			.toBuffer()
		const infotext = formatInfotext({
			prompt: 'a red kite over the dunes',
			negativePrompt: 'people',
			params: { Steps: 20, Sampler: 'Euler a', Seed: 1234, Size: '768x512', Model: 'sdxl' },
		})
		const withMeta = writePngTextChunks(new Uint8Array(base), [['parameters', infotext]])
		// Drop into the empty band under the lineage, with the whole board in view.
		await a.page.getByTestId('inspector-close').click()
		await a.page.mouse.click(700, 120)
		await a.page.keyboard.press('Shift+1')
		await dropFile(
			a.page,
			{ name: 'kite.png', type: 'image/png', bytes: withMeta },
			{ x: 260, y: 560 },
		)
		const recall = a.page.getByTestId('recall-card')
		await recall.waitFor()
		await expect
			.poll(() => recall.getByTestId('prompt-card-text').textContent())
			.toBe('a red kite over the dunes')
		await dropFile(
			a.page,
			{ name: 'photo.png', type: 'image/png', bytes: new Uint8Array(base) },
			{ x: 640, y: 560 },
		)
		const upload = await newNode(a.page, known)
		await expect.poll(() => nodeOf(a.page, upload).getAttribute('data-kind')).toBe('upload')
		await waitForImages(a.page, upload, 1)
		// The upload is picked when it lands: it can be steered like any candidate.
		await a.page.getByTestId('action-bar').waitFor()
		await dropFile(
			a.page,
			{ name: 'notes.txt', type: 'text/plain', bytes: new TextEncoder().encode('hi') },
			{ x: 600, y: 300 },
		)
		await expect
			.poll(() => a.page.locator('[data-testid="toast"][data-kind="error"]').allTextContents())
			.toContainEqual(expect.stringContaining('isn’t an image'))
		await screenshot(a.page, '10-dropped-files')

		// The upload steers like any candidate: pan it right by its key.
		await a.page.keyboard.press('Alt+Shift+ArrowRight')
		const pan = await newNode(a.page, known)
		await waitForImages(a.page, pan, 4)
		const panJob = await (await a.context.request.get(`/api/boards/${boardId}/jobs/${pan}`)).json()
		expect(panJob.job).toMatchObject({ op: 'pan', params: { direction: 'right' } })

		// Run the recalled prompt: an imagine with its seed and negative prompt, beside the card.
		await recall.getByTestId('recall-run').click()
		const recalled = await newNode(a.page, known)
		const recalledJob = await (
			await a.context.request.get(`/api/boards/${boardId}/jobs/${recalled}`)
		).json()
		expect(recalledJob.job).toMatchObject({ op: 'imagine', prompt: 'a red kite over the dunes' })
		expect(recalledJob.job.params).toMatchObject({
			seed: 1234,
			aspectRatio: '3:2',
		})
		await waitForImages(a.page, recalled, 4)
		const recalledImageId = await candidateOf(a.page, recalled, 0).getAttribute('data-image-id')
		const recalledImage = await (
			await a.context.request.get(`/api/boards/${boardId}/images/${recalledImageId}`)
		).json()
		expect(recalledImage.image.negativePrompt).toBe('people')
		await screenshot(a.page, '11-recall-run')

		expect(a.errors).toEqual([])
		expect(b.errors).toEqual([])
		await a.context.close()
		await b.context.close()
	}, 240_000)
})
