import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/server'
import { acceptInvitation, newUserPage, startE2e } from './browser'
import {
	candidateOf,
	newNode,
	nodeOf,
	screenshot,
	signUp,
	waitForImages,
	waitOnline,
} from './steeringKit'

// A review session in three browsers: an art director presents and her editor follows her
// viewport; she approves a candidate and commits it (decision + upscale + lock); then she
// publishes the final and a client, through a client link, sees only that pick and its lineage —
// without the prompt.

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	world = await startE2e({ name: 'review' })
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

const PROMPT = 'a paper kite over terraced tea fields at dawn'

/** Where a node sits on screen: what a followed viewport moves. */
async function screenBox(page: Page, jobId: string) {
	const box = await nodeOf(page, jobId).boundingBox()
	if (!box) throw new Error(`node ${jobId} is not on screen`)
	return box
}

/** Image ids of every candidate cell on the page. */
const imageIdsOn = (page: Page) =>
	page.$$eval('[data-testid="candidate"]', (cells) =>
		cells.map((cell) => cell.getAttribute('data-image-id')).sort(),
	)

describe('a review session in three browsers', () => {
	it('presents and follows, approves and commits a pick, and shows the client only that pick and its lineage', async () => {
		const director = await newUserPage(browser, server.url)
		const editor = await newUserPage(browser, server.url)
		await Promise.all(
			[director, editor].map(({ page }) => page.emulateMedia({ reducedMotion: 'reduce' })),
		)
		const stamp = Date.now()
		await signUp(director.page, 'Dana', `dana-${stamp}@example.com`)
		await signUp(editor.page, 'Eli', `eli-${stamp}@example.com`)
		await director.page.getByTestId('board-name-input').fill('Tea campaign')
		await director.page.getByTestId('board-create').click()
		await director.page.waitForURL(/\/boards\/brd_/)
		const boardId = director.page.url().split('/boards/')[1]
		const invite = await director.context.request.post(`/api/boards/${boardId}/members`, {
			data: { email: `eli-${stamp}@example.com`, role: 'editor' },
		})
		expect(invite.status()).toBe(201)
		await acceptInvitation(editor, invite)
		await editor.page.goto(`/boards/${boardId}`)
		await Promise.all([waitOnline(director.page), waitOnline(editor.page)])

		const known = new Set<string>()
		await director.page.getByTestId('prompt-input').fill(PROMPT)
		await director.page.getByTestId('prompt-submit').click()
		const grid = await newNode(director.page, known)
		await waitForImages(director.page, grid, 4)
		await waitForImages(editor.page, grid, 4)

		// The director presents; the editor is offered to follow and takes it.
		await director.page.getByTestId('present-toggle').click()
		await director.page.getByTestId('present-stop').waitFor()
		const banner = editor.page.getByTestId('presenter-banner')
		await banner.waitFor()
		expect(await banner.textContent()).toContain('Dana')
		await editor.page.getByTestId('follow-presenter').click()
		await editor.page.getByTestId('stop-following').waitFor()

		// She pans; the editor's viewport moves with hers, to the same place on screen.
		const before = await screenBox(editor.page, grid)
		await director.page.mouse.move(720, 450)
		await director.page.mouse.wheel(0, 260)
		await director.page.mouse.wheel(120, 0)
		// Both wheel moves have landed on her canvas: content up by 260 px and left by 120 px.
		await expect
			.poll(
				async () => {
					const box = await screenBox(director.page, grid)
					return box.y < before.y - 200 && box.x < before.x - 80
				},
				{ timeout: 5000 },
			)
			.toBe(true)
		const directorAfter = await screenBox(director.page, grid)
		await expect
			.poll(
				async () => {
					const box = await screenBox(editor.page, grid)
					return Math.max(Math.abs(box.y - directorAfter.y), Math.abs(box.x - directorAfter.x))
				},
				{ timeout: 10_000 },
			)
			.toBeLessThan(24)
		await screenshot(editor.page, 'review-01-editor-following')

		// She approves candidate 3: the badge reaches the editor live.
		await candidateOf(director.page, grid, 2).click()
		await director.page.getByTestId('decision-approve').click()
		await expect
			.poll(() => candidateOf(editor.page, grid, 2).getAttribute('data-decision'), {
				timeout: 10_000,
			})
			.toBe('approved')
		const pickId = await candidateOf(director.page, grid, 2).getAttribute('data-image-id')
		if (!pickId) throw new Error('the pick has no image id')

		// Commit the pick: one action, confirmed at its price; the final lands committed and locked.
		await director.page.getByTestId('commit-pick').click()
		await director.page.getByTestId('confirm-dialog').waitFor()
		await screenshot(director.page, 'review-02-commit-confirm')
		await director.page.getByTestId('confirm-ok').click()
		const final = await newNode(director.page, known)
		await waitForImages(director.page, final, 1, 120_000)
		await waitForImages(editor.page, final, 1, 30_000)
		expect(await nodeOf(editor.page, final).getAttribute('data-kind')).toBe('final')
		await expect
			.poll(() => candidateOf(editor.page, grid, 2).getAttribute('data-committed'))
			.toBe('true')
		const history = await (
			await director.context.request.get(`/api/boards/${boardId}/images/${pickId}/decisions`)
		).json()
		expect(history.decisions.map((d: { state: string }) => d.state)).toEqual([
			'approved',
			'committed',
		])
		const finalId = await candidateOf(director.page, final, 0).getAttribute('data-image-id')
		if (!finalId) throw new Error('the final has no image id')

		// She publishes the final and sends a client link.
		await candidateOf(director.page, final, 0).click()
		// A switch: a person clicks its label, the input under it is drawn as the track.
		await director.page.locator('label:has([data-testid="publish-toggle"])').click()
		await expect.poll(() => director.page.getByTestId('publish-toggle').isChecked()).toBe(true)
		await expect
			.poll(async () => {
				const res = await director.context.request.get(`/api/boards/${boardId}/publications`)
				return (await res.json()).imageIds
			})
			.toEqual([finalId])
		await screenshot(director.page, 'review-03-published')
		const link = await director.context.request.post(`/api/boards/${boardId}/share-links`, {
			data: { role: 'client', label: 'Tea client' },
		})
		expect(link.status()).toBe(201)
		const linkPath = new URL((await link.json()).link.url).pathname

		// The client joins and sees exactly the pick and the final, linked, and no prompt anywhere.
		const client = await newUserPage(browser, server.url)
		await client.page.goto(linkPath)
		await client.page.getByTestId('join-name').fill('Cleo from the tea house')
		await client.page.getByTestId('join-submit').click()
		await client.page.waitForURL(/\/boards\/brd_/)
		await client.page.getByTestId('client-review').waitFor()
		await expect
			.poll(() => imageIdsOn(client.page), { timeout: 15_000 })
			.toEqual([pickId, finalId].sort())
		await expect
			.poll(() => client.page.locator('[data-testid="candidate"] img').first().isVisible())
			.toBe(true)
		expect(await client.page.locator('[data-testid="generation-node"]').count()).toBe(2)
		expect(await client.page.locator('.tl-arrow, [data-shape-type="arrow"]').count()).toBe(1)
		const html = await client.page.content()
		expect(html).not.toContain(PROMPT)
		expect(await client.page.getByTestId('prompt-bar').count()).toBe(0)
		await screenshot(client.page, 'review-04-client-view')

		for (const { errors } of [director, editor, client]) expect(errors).toEqual([])
	}, 240_000)
})
