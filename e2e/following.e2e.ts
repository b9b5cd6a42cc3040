import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/server'
import { acceptInvitation, newUserPage, screenshot, signUpInUi, startE2e } from './browser'

// Following a presenter shows one indicator and one "Stop following": the presenter banner's.
// tldraw's own (its coloured viewport frame, and a "Stop following" helper button) are turned
// off, so they must not appear beside ours.

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	world = await startE2e({ name: 'following' })
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

describe('following a presenter', () => {
	it("shows only Arbor's following banner, never tldraw's indicator or stop button", async () => {
		const presenter = await newUserPage(browser, server.url)
		const follower = await newUserPage(browser, server.url)
		const stamp = Date.now()
		await signUpInUi(presenter.page, 'Dana', `dana-${stamp}@example.com`)
		await signUpInUi(follower.page, 'Eli', `eli-${stamp}@example.com`)
		await presenter.page.getByTestId('board-name-input').fill('Follow me')
		await presenter.page.getByTestId('board-create').click()
		await presenter.page.waitForURL(/\/boards\/brd_/)
		const boardId = presenter.page.url().split('/boards/')[1]
		const invite = await presenter.context.request.post(`/api/boards/${boardId}/members`, {
			data: { email: `eli-${stamp}@example.com`, role: 'viewer' },
		})
		expect(invite.status()).toBe(201)
		await acceptInvitation(follower, invite)
		await follower.page.goto(`/boards/${boardId}`)
		for (const { page } of [presenter, follower])
			await page.getByTestId('connection-status').filter({ hasText: /live/i }).waitFor()

		const tldrawStop = follower.page.locator('[data-testid="helper-buttons.stop-following"]')
		const tldrawFrame = follower.page.locator('.tlui-following-indicator')
		const helperStrip = follower.page.locator('.tlui-helper-buttons')
		// Not following: tldraw's helper strip (back to content, exit pen mode) is there as usual.
		await helperStrip.waitFor({ state: 'attached' })

		await presenter.page.getByTestId('present-toggle').click()
		await follower.page.getByTestId('follow-presenter').click()
		await follower.page.getByTestId('stop-following').waitFor()
		// The presenter moves, so tldraw has a followed camera to draw its frame around.
		await presenter.page.mouse.move(720, 450)
		await presenter.page.mouse.wheel(0, 200)
		await expect
			.poll(() => follower.page.getByTestId('presenter-banner').getAttribute('data-following'))
			.toBe('true')
		expect(await tldrawStop.count()).toBe(0)
		expect(await tldrawFrame.count()).toBe(0)
		expect(await helperStrip.count()).toBe(0)
		await screenshot(follower.page, 'following-01-one-banner')

		// Ours stops it; tldraw's strip comes back.
		await follower.page.getByTestId('stop-following').click()
		await expect
			.poll(() => follower.page.getByTestId('presenter-banner').getAttribute('data-following'))
			.toBe('false')
		await helperStrip.waitFor({ state: 'attached' })

		expect(presenter.errors).toEqual([])
		expect(follower.errors).toEqual([])
		await presenter.context.close()
		await follower.context.close()
	})
})
