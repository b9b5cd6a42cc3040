import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/server'
import { type TestBackend, testBackend } from '../server/test/testBackend'
import { acceptInvitation, newUserPage, startE2e } from './browser'
import { candidateOf, newNode, nodeOf, signUp, waitForImages, waitOnline } from './steeringKit'

// Issue #11's smaller defects, one browser walk: the prompt limit, a stale toast, steering keys
// that say why they do nothing, one selected-looking candidate, the screen-reader name of a node,
// a final's readable progress and its "Final" pill, a download after the session ended.

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser
/** Holds every run at a gate: a final can be caught mid-run, and no CPU upscale slows the walk. */
let backend: TestBackend

beforeAll(async () => {
	backend = testBackend({ gated: true })
	world = await startE2e({ name: 'polish', backend })
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

/** Screenshots land in /tmp/polish-<name>.png, once animations end. */
async function shot(page: Page, name: string) {
	await page.evaluate(() =>
		Promise.all(
			document
				.getAnimations()
				.filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
				.map((a) => a.finished.catch(() => null)),
		),
	)
	await page.screenshot({ path: `/tmp/polish-${name}.png` })
}

/** What the first walk made, for the second: Ada's board, her grid, her email. */
const made = { boardId: '', grid: '', email: '' }

/** Lets the next run through the gate, once one is waiting. */
async function release() {
	await expect.poll(() => backend.waiting(), { timeout: 30_000 }).toBeGreaterThan(0)
	backend.releaseOne()
}

const toastTexts = (page: Page) => page.locator('[data-testid="toast"] > span').allTextContents()

/** WCAG contrast ratio of two `rgb(…)`/`rgba(…)` colours (alpha ignored: the card is opaque enough). */
function contrast(a: string, b: string): number {
	const lum = (css: string) => {
		const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
			const c = Number(v) / 255
			return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
		})
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl
	}
	const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
	return (hi + 0.05) / (lo + 0.05)
}

describe('the smaller defects of #11', () => {
	it('prompt limit, toasts, keys, one selected candidate, node names, a final, a download', async () => {
		const a = await newUserPage(browser, server.url)
		const v = await newUserPage(browser, server.url)
		await Promise.all([a, v].map(({ page }) => page.emulateMedia({ reducedMotion: 'reduce' })))
		const stamp = Date.now()
		await signUp(a.page, 'Ada', `ada-${stamp}@example.com`)
		await signUp(v.page, 'Vic', `vic-${stamp}@example.com`)

		// A board without a name: the toast says so, and is gone once the board exists.
		await a.page.getByTestId('board-create').click()
		await expect.poll(() => toastTexts(a.page)).toContain('Give the board a name first.')
		await a.page.getByTestId('board-name-input').fill('Harbour campaign')
		await a.page.getByTestId('board-create').click()
		await a.page.waitForURL(/\/boards\/brd_/)
		await waitOnline(a.page)
		expect(await toastTexts(a.page)).not.toContain('Give the board a name first.')
		const boardId = a.page.url().split('/boards/')[1]
		made.boardId = boardId
		made.email = `ada-${stamp}@example.com`
		const invite = await a.context.request.post(`/api/boards/${boardId}/members`, {
			data: { email: `vic-${stamp}@example.com`, role: 'viewer' },
		})
		expect(invite.status()).toBe(201)
		await acceptInvitation(v, invite)
		await shot(a.page, 'board-no-stale-toast')

		// A steering key with nothing picked says why it did nothing.
		await a.page.locator('.tl-canvas').click({ position: { x: 600, y: 300 } })
		await a.page.keyboard.press('s')
		await expect
			.poll(() => toastTexts(a.page))
			.toContainEqual(expect.stringMatching(/Pick a candidate first/))

		// A prompt over the limit: the counter says by how much, and so does Generate.
		const input = a.page.getByTestId('prompt-input')
		await input.fill(`a lighthouse at dusk ${'x'.repeat(2029)}`)
		await expect
			.poll(() => a.page.getByTestId('prompt-counter').textContent())
			.toBe('2,050 / 2,000')
		await expect
			.poll(() => a.page.getByTestId('prompt-counter').getAttribute('class'))
			.toContain('prompt-counter--over')
		await input.press('Enter')
		await expect
			.poll(() => toastTexts(a.page))
			.toContainEqual(expect.stringMatching(/the limit is 2,000\. Shorten it by 50/))
		expect(await toastTexts(a.page)).not.toContainEqual(expect.stringMatching(/Write a prompt/))
		await shot(a.page, 'prompt-limit')

		// A real prompt.
		const known = new Set<string>()
		await input.fill('a lighthouse at dusk over a calm sea')
		await input.press('Enter')
		const grid = await newNode(a.page, known)
		await release()
		await waitForImages(a.page, grid, 4)
		made.grid = grid

		// Click candidate 2, press 3: exactly one candidate looks selected.
		await candidateOf(a.page, grid, 1).click()
		await a.page.getByTestId('inspector').waitFor()
		await a.page.keyboard.press('3')
		await expect.poll(() => candidateOf(a.page, grid, 2).getAttribute('data-active')).toBe('true')
		const looksSelected = () =>
			a.page.evaluate((jobId) => {
				const cells = document.querySelectorAll<HTMLElement>(
					`[data-testid="generation-node"][data-job-id="${jobId}"] [data-testid="candidate"]`,
				)
				return [...cells]
					.filter((cell) => {
						const ring = getComputedStyle(cell).boxShadow !== 'none'
						const pick = cell.querySelector<HTMLElement>('.arbor-cell__pick')
						const outline = pick ? getComputedStyle(pick) : null
						const focusRing =
							!!outline && outline.outlineStyle !== 'none' && outline.outlineWidth !== '0px'
						return ring || focusRing
					})
					.map((cell) => cell.dataset.index)
			}, grid)
		await expect.poll(looksSelected).toEqual(['2'])
		await shot(a.page, 'one-selected')

		// The screen-reader region names the node, not a translation key.
		const announced = () =>
			a.page.evaluate(() =>
				[...document.querySelectorAll('[role="status"][aria-live]')].map((el) => el.textContent),
			)
		await expect
			.poll(async () => (await announced()).join(' | '))
			.toMatch(/a lighthouse at dusk over a calm sea, Generation node/)
		expect((await announced()).join(' ')).not.toContain('tool.arbor')

		// A viewer's steering key says it is for editors.
		await v.page.goto(`/boards/${boardId}`)
		await waitOnline(v.page)
		await v.page.keyboard.press('Shift+1')
		await candidateOf(v.page, grid, 0).click()
		await v.page.getByTestId('inspector').waitFor()
		await v.page.keyboard.press('s')
		await expect
			.poll(() => toastTexts(v.page))
			.toContainEqual(expect.stringMatching(/Only editors can steer/))
		await shot(v.page, 'viewer-key')

		// Upscale candidate 3: the final's progress reads dark on its light card.
		await a.page.keyboard.press('u')
		await a.page.getByTestId('confirm-dialog').waitFor()
		await a.page.getByTestId('confirm-ok').click()
		const final = await newNode(a.page, known)
		const headline = nodeOf(a.page, final).getByTestId('job-progress-text')
		await expect.poll(() => headline.textContent(), { timeout: 30_000 }).toBe('Generating 25%')
		const colours = await headline.evaluate((el) => {
			const card = el.closest('.arbor-overlay__card') as HTMLElement
			return { text: getComputedStyle(el).color, card: getComputedStyle(card).backgroundColor }
		})
		expect(contrast(colours.text, colours.card)).toBeGreaterThanOrEqual(4.5)
		await shot(a.page, 'final-progress')
		await release()
		await waitForImages(a.page, final, 1)
		// The candidate it came from: "Final", not "Committed" (that word is the review's pick).
		await expect
			.poll(() => candidateOf(a.page, grid, 2).getByTestId('committed-badge').textContent())
			.toMatch(/Final$/)
		// The final's own image: a padlock, no word (its header says FINAL).
		await expect
			.poll(() => nodeOf(a.page, final).getByTestId('committed-badge').getAttribute('data-kind'))
			.toBe('locked')
		// Its visible text is empty (the hidden name is for screen readers), no "Final"/"Committed".
		expect(
			await nodeOf(a.page, final)
				.getByTestId('committed-badge')
				.evaluate((el) => {
					const copy = el.cloneNode(true) as HTMLElement
					for (const hidden of copy.querySelectorAll('.visually-hidden')) hidden.remove()
					return copy.textContent?.trim()
				}),
		).toBe('')
		// The review commits candidate 1: it reads "Committed", a word no plain upscale uses.
		const pickId = await candidateOf(a.page, grid, 0).getAttribute('data-image-id')
		const commit = await a.context.request.post(`/api/boards/${boardId}/images/${pickId}/commit`, {
			data: { params: { mode: 'subtle', factor: 2 } },
		})
		expect(commit.status(), await commit.text()).toBeLessThan(300)
		await release()
		await expect
			.poll(() => candidateOf(a.page, grid, 0).getByTestId('committed-badge').textContent())
			.toMatch(/Committed$/)
		await shot(a.page, 'final-pill')
		// The review summary counts it in the singular.
		await a.page.getByTestId('review-summary-toggle').click()
		await expect
			.poll(() => a.page.getByTestId('review-tally').textContent())
			.toContain('1 committed pick0 approved')
		await shot(a.page, 'review-summary')
		await a.page.getByTestId('review-summary-close').click()

		// The session ends; Download says access ended and saves nothing.
		await candidateOf(a.page, grid, 2).click()
		await a.page.getByTestId('download-image').waitFor()
		let downloads = 0
		a.page.on('download', () => {
			downloads += 1
		})
		await a.context.clearCookies()
		await a.page.getByTestId('download-image').click()
		await expect
			.poll(() => toastTexts(a.page))
			.toContainEqual(expect.stringMatching(/^Your access to this board ended/))
		expect(downloads).toBe(0)
		await shot(a.page, 'download-access-ended')

		expect(a.errors).toEqual([])
		expect(v.errors).toEqual([])
		await a.context.close()
		await v.context.close()
	})

	it('the board list, the ledger, the admin page and a client’s view', async () => {
		const { boardId, grid } = made
		expect(boardId).not.toBe('')
		const a = await newUserPage(browser, server.url)
		await a.page.goto('/')
		await a.page.getByTestId('auth-form').waitFor()
		await a.page.getByTestId('auth-email').fill(made.email)
		await a.page.getByTestId('auth-password').fill('correct horse battery')
		await a.page.getByTestId('auth-submit').click()

		// The board list: a thumbnail of the newest image, and whose board it is.
		const card = a.page.locator(`[data-testid="board-card"][data-board-id="${boardId}"]`)
		await card.waitFor()
		await expect
			.poll(() =>
				card
					.getByTestId('board-thumbnail')
					.evaluate(
						(img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth,
					),
			)
			.toBeGreaterThan(0)
		expect(await card.getByTestId('board-owner').textContent()).toBe('Yours')
		await a.page.getByTestId('board-name-input').fill('Empty study')
		await shot(a.page, 'board-list')

		// The ledger: one row per job, with its op, expandable to its entries.
		await a.page.goto('/me/usage')
		await a.page.getByTestId('ledger').waitFor()
		const jobRows = a.page.locator('[data-testid="ledger-row"][data-kind="job"]')
		await expect.poll(() => jobRows.count()).toBe(3)
		expect(await jobRows.last().getByTestId('ledger-op').textContent()).toMatch(/Imagine/)
		expect(await jobRows.last().getAttribute('data-state')).toBe('charged')
		await jobRows.last().getByTestId('ledger-expand').click()
		await expect
			.poll(() =>
				a.page
					.getByTestId('ledger-entry')
					.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind'))),
			)
			.toEqual(['reservation', 'settlement'])
		await shot(a.page, 'ledger')

		// A client joins through a link; the landing speaks to them.
		const pickId = (
			await (await a.context.request.get(`/api/boards/${boardId}/jobs/${grid}`)).json()
		).job.images[1].id as string
		expect(
			(await a.context.request.put(`/api/boards/${boardId}/publications/${pickId}`)).status(),
		).toBeLessThan(300)
		const link = await a.context.request.post(`/api/boards/${boardId}/share-links`, {
			data: { role: 'client' },
		})
		const { token } = (await link.json()).link as { token: string }
		const c = await newUserPage(browser, server.url)
		await c.page.emulateMedia({ reducedMotion: 'reduce' })
		await c.page.goto(`/s/${token}`)
		await expect
			.poll(() => c.page.getByTestId('share-landing-title').textContent())
			.toBe('You’re invited to review Harbour campaign')
		expect(await c.page.getByTestId('share-landing-fact').textContent()).toMatch(/^You’ll see/)
		await shot(c.page, 'client-landing')
		await c.page.getByTestId('join-name').fill('Acme')
		await c.page.getByTestId('join-submit').click()
		await c.page.waitForURL(/\/boards\/brd_/)
		await waitOnline(c.page)

		// The client's inspector numbers candidate 2 as the team does; no job pills, no model.
		const published = c.page.locator(`[data-testid="candidate"][data-image-id="${pickId}"]`)
		await published.waitFor()
		await published.click()
		await expect.poll(() => c.page.getByTestId('inspector-title').textContent()).toBe('Candidate 2')
		await c.page.getByTestId('inspector-provenance').waitFor()
		expect(await c.page.getByTestId('inspector-model').count()).toBe(0)
		expect(await c.page.getByTestId('job-status').count()).toBe(0)
		await shot(c.page, 'client-view')

		// The admin page: the guest apart from the people; the policy editor adds a rule.
		await a.page.goto('/admin')
		await a.page.getByTestId('admin-users').waitFor()
		const emails = await a.page
			.getByTestId('admin-user-row')
			.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email')))
		expect(emails.some((e) => e?.endsWith('guests.invalid'))).toBe(false)
		await a.page.getByTestId('admin-guests').locator('summary').click()
		await expect.poll(() => a.page.getByTestId('admin-guest').allTextContents()).toContain('Acme')
		await a.page.getByTestId('policy-value').fill('gore')
		await a.page.getByTestId('policy-note').fill('Not for this client')
		await a.page.getByTestId('policy-add').click()
		await expect.poll(() => a.page.getByTestId('policy-rule').count()).toBe(1)
		const refused = await a.context.request.post(`/api/boards/${boardId}/jobs`, {
			data: { op: 'imagine', prompt: 'gore on the harbour wall' },
		})
		expect(refused.status()).toBe(422)
		await a.page.getByTestId('policy-editor').scrollIntoViewIfNeeded()
		await shot(a.page, 'admin')

		expect(a.errors).toEqual([])
		expect(c.errors).toEqual([])
		await a.context.close()
		await c.context.close()
	})
})
