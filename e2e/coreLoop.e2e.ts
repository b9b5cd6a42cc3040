import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/server'
import { acceptInvitation, newUserPage, screenshot, signUpInUi, startE2e } from './browser'

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	world = await startE2e({ name: 'core-loop' })
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

const nodes = (page: Page) => page.getByTestId('generation-node')
const doneNodes = (page: Page) =>
	page.locator('[data-testid="generation-node"][data-status="done"]')

/** Waits until `n` candidate thumbnails of a node are decoded and painted in this browser. */
async function waitForThumbnails(page: Page, jobId: string, n: number) {
	await page.waitForFunction(
		({ jobId, n }) => {
			const imgs = document.querySelectorAll<HTMLImageElement>(
				`[data-testid="generation-node"][data-job-id="${jobId}"] [data-testid="candidate"] img`,
			)
			return imgs.length === n && [...imgs].every((img) => img.complete && img.naturalWidth > 0)
		},
		{ jobId, n },
		{ timeout: 30_000 },
	)
}

describe('the core loop in two browsers', () => {
	it('A prompts, both see four images; B varies candidate 2, both see the branch', async () => {
		const a = await newUserPage(browser, server.url)
		const b = await newUserPage(browser, server.url)
		const stamp = Date.now()
		await signUpInUi(a.page, 'Ada', `ada-${stamp}@example.com`)
		await signUpInUi(b.page, 'Ben', `ben-${stamp}@example.com`)
		await screenshot(a.page, '01-board-list-empty')

		// A creates a board in the UI and invites B (the sharing dialog is a later issue).
		await a.page.getByTestId('board-name-input').fill('Harbour campaign')
		await a.page.getByTestId('board-create').click()
		await a.page.waitForURL(/\/boards\/brd_/)
		const boardId = a.page.url().split('/boards/')[1]
		const invite = await a.context.request.post(`/api/boards/${boardId}/members`, {
			data: { email: `ben-${stamp}@example.com`, role: 'editor' },
		})
		expect(invite.status()).toBe(201)
		await acceptInvitation(b, invite)
		await b.page.goto(`/boards/${boardId}`)
		for (const { page } of [a, b]) {
			await page
				.getByTestId('connection-status')
				.filter({ hasText: /online|connected|live/i })
				.waitFor()
		}
		await screenshot(a.page, '02-empty-board')

		// A prompts.
		await a.page.getByTestId('prompt-input').fill('a lighthouse at dusk over a calm sea')
		const t0 = Date.now()
		await a.page.getByTestId('prompt-submit').click()
		await nodes(b.page).first().waitFor()
		const jobId = await nodes(b.page).first().getAttribute('data-job-id')
		expect(jobId).toMatch(/^job_/)
		await waitForThumbnails(b.page, jobId!, 4)
		const promptToSecondBrowserMs = Date.now() - t0
		await waitForThumbnails(a.page, jobId!, 4)
		console.log(
			`prompt → four thumbnails visible in the second browser: ${promptToSecondBrowserMs} ms`,
		)
		await expect.poll(() => a.page.getByTestId('prompt-card').count()).toBe(1)
		await screenshot(a.page, '03-grid-in-A')
		await screenshot(b.page, '04-grid-in-B')

		// B picks candidate 2 and varies it strongly.
		const candidate = b.page.locator(
			`[data-testid="generation-node"][data-job-id="${jobId}"] [data-testid="candidate"][data-index="1"]`,
		)
		const parentImageId = await candidate.getAttribute('data-image-id')
		await candidate.click()
		await b.page.getByTestId('inspector').waitFor()
		await expect
			.poll(() => b.page.getByTestId('inspector-prompt').textContent())
			.toContain('a lighthouse at dusk')
		await b.page.getByTestId('vary-strong').first().click()

		for (const { page } of [a, b]) {
			await expect.poll(() => nodes(page).count(), { timeout: 30_000 }).toBe(2)
			await expect.poll(() => doneNodes(page).count(), { timeout: 30_000 }).toBe(2)
			// One arrow from the prompt card, one from candidate 2 to the branch.
			await expect.poll(() => page.locator('.tl-shape[data-shape-type="arrow"]').count()).toBe(2)
		}
		const childJobId = await nodes(a.page)
			.filter({ hasNot: a.page.locator(`[data-job-id="${jobId}"]`) })
			.evaluateAll(
				(els, parent) => els.map((e) => e.getAttribute('data-job-id')).find((id) => id !== parent),
				jobId,
			)
		const child = await a.context.request.get(`/api/boards/${boardId}/jobs/${childJobId}`)
		const { job } = await child.json()
		expect(job.op).toBe('vary')
		expect(job.parentImageId).toBe(parentImageId)
		expect(job.createdBy.name).toBe('Ben')
		// tldraw culls shapes outside the viewport: A zooms to fit to see the whole lineage.
		await a.page.mouse.click(700, 120)
		await a.page.keyboard.press('Shift+1')
		await waitForThumbnails(a.page, childJobId!, 4)
		await screenshot(a.page, '05-branch-in-A')
		await screenshot(b.page, '06-branch-in-B')

		// Each sees the other's presence.
		await expect.poll(() => a.page.getByTestId('presence-avatar').count()).toBeGreaterThanOrEqual(1)
		expect(a.errors).toEqual([])
		expect(b.errors).toEqual([])
		await a.context.close()
		await b.context.close()
	})
})
