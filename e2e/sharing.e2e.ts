import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/server'
import { newUserPage, screenshot, signUpInUi, startE2e } from './browser'

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	world = await startE2e({ name: 'sharing' })
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

const doneNodes = (page: Page) =>
	page.locator('[data-testid="generation-node"][data-status="done"]')

async function waitLive(page: Page) {
	await page.getByTestId('connection-status').filter({ hasText: /live/i }).waitFor()
}

/** Opens the share dialog on a tab and creates a link; returns its path (`/s/…`). */
async function createLink(page: Page, role: 'viewer' | 'client', label: string) {
	await page.getByTestId('share-tab-links').click()
	await page.getByTestId(`link-role-${role}`).click()
	await page.getByTestId('link-label').fill(label)
	await page.getByTestId('link-create').click()
	const url = await page.getByTestId('created-link-url').inputValue()
	expect(url).toMatch(/\/s\/[\w-]+$/)
	return new URL(url).pathname
}

describe('sharing a board through a link', () => {
	it('a signed-out guest joins a viewer link, sees the board read-only, and loses it on revoke', async () => {
		const owner = await newUserPage(browser, server.url)
		await signUpInUi(owner.page, 'Ana', `ana-${Date.now()}@example.com`)
		await owner.page.getByTestId('board-name-input').fill('Harbour campaign')
		await owner.page.getByTestId('board-create').click()
		await owner.page.waitForURL(/\/boards\/brd_/)
		await waitLive(owner.page)
		await owner.page.getByTestId('prompt-input').fill('a lighthouse at dusk over a calm sea')
		await owner.page.getByTestId('prompt-submit').click()
		await expect.poll(() => doneNodes(owner.page).count(), { timeout: 30_000 }).toBe(1)

		// The owner shares: the dialog opens on Members, with Ana here now.
		await owner.page.getByTestId('share-button').click()
		await owner.page.getByTestId('share-dialog').waitFor()
		await owner.page.getByTestId('member-row').first().waitFor()
		expect(await owner.page.getByTestId('member-presence').first().getAttribute('data-here')).toBe(
			'true',
		)
		await screenshot(owner.page, 'sharing-01-members')
		const linkPath = await createLink(owner.page, 'viewer', 'Gil’s preview')
		await owner.page.getByTestId('link-row').first().waitFor()
		await screenshot(owner.page, 'sharing-02-link-created')

		// A second browser, signed out, opens the link and joins as a guest.
		const guest = await newUserPage(browser, server.url)
		await guest.page.goto(linkPath)
		await guest.page.getByTestId('share-landing-title').waitFor()
		expect(await guest.page.getByTestId('share-landing-title').textContent()).toContain(
			'Harbour campaign',
		)
		await screenshot(guest.page, 'sharing-03-landing')
		await guest.page.getByTestId('join-name').fill('Guest Gil')
		await guest.page.getByTestId('join-submit').click()
		await guest.page.waitForURL(/\/boards\/brd_/)
		await waitLive(guest.page)

		// Read-only, with the board's shapes, and who they are.
		await expect.poll(() => doneNodes(guest.page).count(), { timeout: 15_000 }).toBe(1)
		expect(await guest.page.getByTestId('role-badge').textContent()).toBe('View only')
		expect(await guest.page.getByTestId('guest-badge').isVisible()).toBe(true)
		expect(await guest.page.getByTestId('current-user').textContent()).toBe('Guest Gil')
		expect(await guest.page.getByTestId('prompt-bar').count()).toBe(0)
		expect(await guest.page.getByTestId('back-to-boards').count()).toBe(0)
		expect(await guest.page.getByTestId('share-button').count()).toBe(0)
		await screenshot(guest.page, 'sharing-04-guest-board')

		// The owner sees the guest here now, in the audit log and on the link, then revokes it.
		await owner.page.getByTestId('share-tab-members').click()
		await expect
			.poll(() => owner.page.getByTestId('share-visitors').textContent(), { timeout: 5_000 })
			.toContain('Guest Gil')
		await screenshot(owner.page, 'sharing-04b-members-with-guest')
		await owner.page.getByTestId('share-tab-activity').click()
		await owner.page.getByTestId('activity-entry').first().waitFor()
		await expect
			.poll(() => owner.page.getByTestId('activity-list').textContent())
			.toContain('Guest Gil joined')
		await screenshot(owner.page, 'sharing-05-activity')
		await owner.page.getByTestId('share-tab-links').click()
		const row = owner.page.getByTestId('link-row').first()
		await expect.poll(() => row.textContent()).toContain('1 guest joined')
		await row.getByTestId('link-revoke').click()
		await owner.page.getByTestId('sharing-confirm').waitFor()
		await screenshot(owner.page, 'sharing-06-revoke-confirm')
		await owner.page.getByTestId('sharing-confirm-ok').click()
		await expect.poll(() => row.getAttribute('data-state')).toBe('revoked')

		// Within a few seconds the guest's board says they lost access.
		const refused = guest.page.getByTestId('guest-lost-access')
		await refused.waitFor({ timeout: 5_000 })
		expect(await refused.getAttribute('data-code')).toBe('4403')
		await screenshot(guest.page, 'sharing-07-guest-revoked')

		// The link itself now explains it no longer works.
		await guest.page.goto(linkPath)
		await guest.page.getByTestId('share-landing-error').waitFor()
		expect(await guest.page.getByTestId('share-landing-error').textContent()).toMatch(
			/doesn’t work anymore/,
		)
		await screenshot(guest.page, 'sharing-08-landing-revoked')

		// Escape closes the dialog and focus returns to the Share button.
		await owner.page.keyboard.press('Escape')
		await expect.poll(() => owner.page.getByTestId('share-dialog').count()).toBe(0)
		expect(
			await owner.page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
		).toBe('share-button')

		// Members: adding someone invites them, and an email without an account is answered the
		// same. Ben accepts on his boards page; then he is promoted and removed.
		const ben = await newUserPage(browser, server.url)
		const benEmail = `ben-${Date.now()}@example.com`
		await signUpInUi(ben.page, 'Ben', benEmail)
		await owner.page.getByTestId('share-button').click()
		const invited = (email: string) =>
			owner.page.locator(`[data-testid="invitation-row"][data-email="${email}"]`)
		await owner.page.getByTestId('invite-email').fill('nobody@example.com')
		await owner.page.getByTestId('invite-submit').click()
		await invited('nobody@example.com').waitFor()
		expect(await owner.page.getByTestId('invite-error').count()).toBe(0)
		await owner.page.getByTestId('invite-email').fill(benEmail)
		await owner.page.getByTestId('invite-role').selectOption('viewer')
		await owner.page.getByTestId('invite-submit').click()
		await invited(benEmail).waitFor()
		expect(await invited(benEmail).getByTestId('invitation-badge').textContent()).toBe('Invited')
		expect(await owner.page.locator('[data-testid="member-row"]', { hasText: 'Ben' }).count()).toBe(
			0,
		)
		await screenshot(owner.page, 'sharing-09-invited')
		await ben.page.goto('/')
		const invitation = ben.page.getByTestId('invitation')
		await invitation.waitFor()
		expect(await invitation.textContent()).toMatch(/invited you to/)
		await screenshot(ben.page, 'sharing-10-invitation')
		await invitation.getByTestId('invitation-accept').click()
		await ben.page.waitForURL(/\/boards\/brd_/)
		// The owner's dialog, opened again, has Ben as a member; nobody@'s invitation is withdrawn.
		await owner.page.keyboard.press('Escape')
		await owner.page.getByTestId('share-button').click()
		await invited('nobody@example.com').getByTestId('invitation-withdraw').click()
		await owner.page.getByTestId('sharing-confirm-ok').click()
		await expect.poll(() => invited('nobody@example.com').count()).toBe(0)
		expect(await invited(benEmail).count()).toBe(0)
		const benRow = owner.page.locator('[data-testid="member-row"]', { hasText: 'Ben' })
		await benRow.waitFor()
		expect(await benRow.getAttribute('data-role')).toBe('viewer')
		await benRow.getByTestId('member-role-select').selectOption('editor')
		await expect.poll(() => benRow.getAttribute('data-role')).toBe('editor')
		await benRow.getByTestId('member-remove').click()
		await owner.page.getByTestId('sharing-confirm-ok').click()
		await expect.poll(() => benRow.count()).toBe(0)
		await ben.context.close()

		// The owner commits a pick and publishes its final: the client will see it and its parent.
		const boardId = /\/boards\/(brd_[\w-]+)/.exec(owner.page.url())![1]
		const parentId = (await owner.page
			.locator('[data-testid="candidate"][data-index="0"]')
			.first()
			.getAttribute('data-image-id'))!
		const committed = await owner.context.request.post(
			`/api/boards/${boardId}/images/${parentId}/commit`,
			{ data: {} },
		)
		expect(committed.status()).toBe(202)
		const jobId = (await committed.json()).job.id as string
		let finalId = ''
		await expect
			.poll(
				async () => {
					const res = await owner.context.request.get(`/api/boards/${boardId}/jobs/${jobId}`)
					const { job } = await res.json()
					finalId = job.images[0]?.id ?? ''
					return job.status
				},
				{ timeout: 60_000 },
			)
			.toBe('done')
		const published = await owner.context.request.put(
			`/api/boards/${boardId}/publications/${finalId}`,
		)
		expect(published.status()).toBe(200)

		// A client link opens the clean review: no prompt bar, queue, finals or credits.
		const clientPath = await createLink(owner.page, 'client', 'Acme review')
		await owner.page.getByTestId('share-tab-client').click()
		await owner.page.getByTestId('client-allowComments').click()
		await expect
			.poll(() => owner.page.locator('[data-testid="client-allowComments"] input').isChecked())
			.toBe(true)
		await expect
			.poll(() => owner.page.locator('[data-testid="client-allowComments"] input').isEnabled())
			.toBe(true)
		expect(await owner.page.locator('[data-testid="client-allowComments"] input').isChecked()).toBe(
			true,
		)
		await screenshot(owner.page, 'sharing-09-client-view-tab')
		const client = await newUserPage(browser, server.url)
		await client.page.goto(clientPath)
		await client.page.getByTestId('join-name').fill('Carla from Acme')
		await client.page.getByTestId('join-submit').click()
		await client.page.waitForURL(/\/boards\/brd_/)
		await client.page.getByTestId('client-review').waitFor()
		// The server names the board's owner to everyone, clients included.
		expect(await client.page.getByTestId('client-review-line').textContent()).toBe(
			'Shared by Ana · view + comment',
		)
		for (const testId of ['prompt-bar', 'queue-toggle', 'finals-toggle', 'budget-meter']) {
			expect(await client.page.getByTestId(testId).count(), testId).toBe(0)
		}
		await screenshot(client.page, 'sharing-10-client-review')

		// The pick's details, read as a client: what the owner hides is absent, not "undefined",
		// and nothing says the answer could not be read.
		const pick = client.page.locator(`[data-testid="candidate"][data-image-id="${finalId}"]`)
		await pick.waitFor({ timeout: 15_000 })
		await pick.click()
		const inspector = client.page.getByTestId('inspector')
		await client.page.getByTestId('inspector-provenance').waitFor()
		await expect.poll(() => client.page.getByTestId('lineage-crumb').count()).toBe(2)
		const details = (await inspector.textContent()) ?? ''
		expect(details).not.toContain('undefined')
		expect(details).not.toMatch(/Unexpected answer|could not be read/)
		expect(await inspector.locator('.form-error').count()).toBe(0)
		for (const hidden of ['inspector-prompt', 'inspector-seed', 'inspector-cost', 'export-lineage'])
			expect(await client.page.getByTestId(hidden).count(), hidden).toBe(0)
		expect(await client.page.getByTestId('inspector-op').textContent()).toMatch(/upscale/i)
		await screenshot(client.page, 'sharing-10b-client-inspector')
		// Its parent's crumb selects the parent on the client's canvas (laid out by image, not job).
		await client.page.getByTestId('lineage-crumb').first().click()
		await expect.poll(() => inspector.getAttribute('data-image-id')).toBe(parentId)
		await client.page.getByTestId('inspector-provenance').waitFor()
		expect(await inspector.textContent()).not.toContain('undefined')

		// A guest has no board list: home points back to their board.
		await client.page.goto('/')
		await client.page.getByTestId('guest-home').waitFor()
		expect(await client.page.getByTestId('guest-board-link').textContent()).toContain(
			'Harbour campaign',
		)
		await screenshot(client.page, 'sharing-11-guest-home')

		expect(owner.errors).toEqual([])
		expect(guest.errors).toEqual([])
		expect(client.errors).toEqual([])
		await owner.context.close()
		await guest.context.close()
		await client.context.close()
	})
})
