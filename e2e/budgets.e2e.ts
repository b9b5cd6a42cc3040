import { setTimeout as sleep } from 'node:timers/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBuiltinBackend } from '../engines/builtin/builtinBackend'
import { UnrecoverableJobError } from '../engines/errors'
import type { Engine } from '../engines/types'
import type { RunningServer } from '../server/server'
import {
	acceptInvitation,
	newUserPage,
	screenshot as saveScreenshot,
	signUpInUi,
	startE2e,
} from './browser'

// Budgets in the browser: the meter follows reservations and refunds, limits explain themselves.
// Every user gets 8 credits a month; a grid costs 4 (read from /api/ops below).
const ALLOWANCE = 8
/** Prompts with this word fail in the backend, after a pause long enough to see the reservation. */
const FAIL_MARKER = 'xfailx'

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	world = await startE2e({
		name: 'budgets',
		env: { ARBOR_MONTHLY_CREDITS: String(ALLOWANCE) },
		backend: failingBackend(),
	})
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

function failingBackend(): Engine {
	const builtin = createBuiltinBackend({ delayMs: 1200 })
	return {
		info: builtin.info,
		capabilities: builtin.capabilities,
		models: builtin.models,
		async generate(request, options) {
			if (!request.prompt.includes(FAIL_MARKER)) return builtin.generate(request, options)
			await sleep(1500, undefined, { signal: options.signal })
			throw new UnrecoverableJobError('The test backend refuses this prompt.')
		},
	}
}

const signUp = signUpInUi

const balance = (page: Page) => page.getByTestId('budget-meter').getAttribute('data-balance')
const nodeWith = (page: Page, status: string) =>
	page.locator(`[data-testid="generation-node"][data-status="${status}"]`)
const waitOnline = (page: Page) =>
	page.getByTestId('connection-status').and(page.locator('[data-state="online"]')).waitFor()

/** Screenshots once entrance animations end (a popover caught half-faded tells nothing). */
async function screenshot(page: Page, name: string) {
	await page.evaluate(() =>
		Promise.all(
			document
				.getAnimations()
				.filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
				// A cancelled animation rejects `finished`; it is gone either way.
				.map((a) => a.finished.catch(() => null)),
		),
	)
	await saveScreenshot(page, name)
}

async function generate(page: Page, prompt: string) {
	await page.getByTestId('prompt-input').fill(prompt)
	await page.getByTestId('prompt-submit').click()
}

const stamp = Date.now()
const adaEmail = `ada-${stamp}@example.com`
const benEmail = `ben-${stamp}@example.com`
let boardId = ''
let price = 0

describe('budgets in the browser', () => {
	it('the meter drops on a request and rises on a refund; limits and zero explain themselves', async () => {
		const { page, errors, context } = await newUserPage(browser, server.url)
		await signUp(page, 'Ada', adaEmail)
		const ops = await (await context.request.get('/api/ops')).json()
		price = ops.ops.find((op: { name: string }) => op.name === 'imagine').price
		expect(price * 2).toBe(ALLOWANCE)
		await expect.poll(() => balance(page)).toBe(String(ALLOWANCE))
		await screenshot(page, 'budgets-01-board-list')

		await page.getByTestId('board-name-input').fill('Budget test')
		await page.getByTestId('board-create').click()
		await page.waitForURL(/\/boards\/brd_/)
		boardId = page.url().split('/boards/')[1]
		await waitOnline(page)

		// J opens the queue panel: empty at first.
		await page.keyboard.press('j')
		await page.getByTestId('queue-empty').waitFor()

		// A grid reserves its price at once; the queue shows it running, asked by "You".
		await generate(page, 'a lighthouse at dusk over a calm sea')
		await expect.poll(() => balance(page)).toBe(String(ALLOWANCE - price))
		await page.getByTestId('queue-item').first().waitFor()
		expect(await page.getByTestId('queue-item-who').first().textContent()).toBe('You')
		await screenshot(page, 'budgets-02-reserved-and-queued')
		await nodeWith(page, 'done').waitFor({ state: 'attached' })
		await page.getByTestId('queue-empty').waitFor()
		await page.keyboard.press('j')
		await expect.poll(() => page.getByTestId('queue-panel').count()).toBe(0)

		// A failing grid: the meter drops to 0, then the refund brings it back.
		await generate(page, `a storm that never paints ${FAIL_MARKER}`)
		await expect.poll(() => balance(page)).toBe('0')
		await nodeWith(page, 'failed').waitFor({ state: 'attached' })
		await expect.poll(() => balance(page), { timeout: 10_000 }).toBe(String(ALLOWANCE - price))
		await screenshot(page, 'budgets-03-refunded')

		// Board usage: bill-back by member and op; the owner caps the board at what it spent.
		await page.getByTestId('board-usage-toggle').click()
		await page.getByTestId('usage-by-member-row').waitFor()
		expect(await page.getByTestId('usage-by-member-credits').textContent()).toBe(String(price))
		await page.getByTestId('board-cap-input').fill('-3')
		await page.getByTestId('board-cap-save').click()
		await expect.poll(() => page.getByTestId('board-cap-error').textContent()).toMatch(/negative/)
		await page.getByTestId('board-cap-input').fill(String(price))
		await page.getByTestId('board-cap-save').click()
		await expect.poll(() => page.getByTestId('board-cap').getAttribute('data-cap')).toBe(`${price}`)
		await screenshot(page, 'budgets-04-usage-panel')

		// The cap refuses the next grid with a 402 the prompt bar explains; nothing is charged.
		await generate(page, 'a quiet harbour at noon')
		await page.getByTestId('limit-notice').waitFor()
		expect(await page.getByTestId('limit-notice').getAttribute('data-code')).toBe(
			'board_budget_exceeded',
		)
		expect(await balance(page)).toBe(String(ALLOWANCE - price))
		await screenshot(page, 'budgets-05-board-cap-refusal')

		// Without the cap it runs, and the balance reaches zero: Generate is off, saying why.
		await page.getByTestId('board-cap-remove').click()
		await expect.poll(() => page.getByTestId('board-cap').getAttribute('data-cap')).toBe('')
		await page.getByTestId('board-usage-close').click()
		await page.getByTestId('prompt-submit').click()
		await expect.poll(() => balance(page)).toBe('0')
		await expect.poll(() => page.getByTestId('limit-notice').count()).toBe(0)
		const notice = page.getByTestId('credits-notice')
		await notice.waitFor()
		expect(await notice.getAttribute('data-reason')).toBe('out')
		expect(await notice.textContent()).toMatch(/out of credits for [A-Z][a-z]+/)
		expect(await notice.textContent()).toMatch(/Admin page/)
		await page.getByTestId('prompt-input').fill('one more, please')
		expect(await page.getByTestId('prompt-submit').isDisabled()).toBe(true)
		expect(await page.getByTestId('prompt-hint').textContent()).toMatch(/Generate is off/)
		await nodeWith(page, 'done').nth(1).waitFor({ state: 'attached' })
		await screenshot(page, 'budgets-06-out-of-credits')

		// The meter's panel leads to the personal usage page: spending by board and the ledger.
		await page.getByTestId('budget-meter-button').click()
		await page.getByTestId('budget-popover').waitFor()
		await screenshot(page, 'budgets-07-meter-popover')
		await page.getByTestId('budget-usage-link').click()
		await page.getByTestId('usage-page').waitFor()
		await page.getByTestId('ledger').waitFor()
		// One row per job (a refunded one among them), and the grant on its own.
		const kinds = await page
			.getByTestId('ledger-row')
			.evaluateAll((rows) =>
				rows.map((row) => row.getAttribute('data-state') ?? row.getAttribute('data-kind')),
			)
		expect(kinds).toContain('refunded')
		expect(kinds).toContain('grant')
		expect(await page.getByTestId('usage-by-board-credits').first().textContent()).toBe(
			String(price * 2),
		)
		await screenshot(page, 'budgets-08-usage-page')

		// The admin grants credits; the meter follows at once.
		await page.getByTestId('user-menu').click()
		await page.getByTestId('user-menu-panel').waitFor()
		await screenshot(page, 'budgets-09-user-menu')
		await page.getByTestId('menu-admin').click()
		const me = page.locator(`[data-testid="admin-user-row"][data-email="${adaEmail}"]`)
		await me.getByTestId('admin-manage').click()
		await page.getByTestId('admin-grant-amount').fill('0')
		await page.getByTestId('admin-grant-submit').click()
		await page.getByTestId('admin-grant-error').waitFor()
		await page.getByTestId('admin-grant-amount').fill('10')
		await page.getByTestId('admin-grant-note').fill('Client project')
		await page.getByTestId('admin-grant-submit').click()
		await expect.poll(() => me.getByTestId('admin-balance').textContent()).toBe('10')
		await expect.poll(() => balance(page)).toBe('10')
		await screenshot(page, 'budgets-10-admin')

		expect(errors).toEqual([])
		await context.close()
	})

	it('a member at zero is told to ask an admin; the queue shows who asked', async () => {
		const ada = await newUserPage(browser, server.url)
		const ben = await newUserPage(browser, server.url)
		await signUp(ben.page, 'Ben', benEmail)
		const login = await ada.context.request.post('/api/auth/login', {
			data: { email: adaEmail, password: 'correct horse battery' },
		})
		expect(login.status()).toBe(200)
		const invite = await ada.context.request.post(`/api/boards/${boardId}/members`, {
			data: { email: benEmail, role: 'editor' },
		})
		expect(invite.status()).toBe(201)
		await acceptInvitation(ben, invite)

		// The admin takes Ben's credits back (a negative grant).
		await ada.page.goto('/admin')
		const row = ada.page.locator(`[data-testid="admin-user-row"][data-email="${benEmail}"]`)
		await row.getByTestId('admin-manage').click()
		await ada.page.getByTestId('admin-grant-amount').fill(String(-ALLOWANCE))
		await ada.page.getByTestId('admin-grant-submit').click()
		await expect.poll(() => row.getByTestId('admin-balance').textContent()).toBe('0')

		await ben.page.goto(`/boards/${boardId}`)
		await waitOnline(ben.page)
		await expect.poll(() => balance(ben.page)).toBe('0')
		const notice = ben.page.getByTestId('credits-notice')
		expect(await notice.textContent()).toMatch(/out of credits for .*Ask an admin for more/)

		// Ada generates; Ben's queue panel says it was Ada who asked.
		await ada.page.goto(`/boards/${boardId}`)
		await waitOnline(ada.page)
		await ben.page.keyboard.press('j')
		await ben.page.getByTestId('queue-panel').waitFor()
		await generate(ada.page, 'a red kite over the dunes')
		const item = ben.page.getByTestId('queue-item').first()
		await item.waitFor()
		await expect.poll(() => item.getByTestId('queue-item-who').textContent()).toBe('Ada')
		await screenshot(ben.page, 'budgets-11-queue-for-another-member')
		// The row's label selects the job's node and brings it into view.
		await item.getByTestId('queue-item-label').click()
		await ben.page.getByTestId('queue-empty').waitFor({ timeout: 30_000 })

		// Ben tries to vary a candidate at zero: the 402 becomes a clear message, not silence.
		await ben.page.keyboard.press('1')
		await ben.page.getByTestId('inspector').waitFor()
		await ben.page.getByTestId('inspector-vary-subtle').click()
		const toast = ben.page.getByTestId('toast').filter({ hasText: 'Not enough credits' })
		await toast.waitFor()
		expect(await toast.textContent()).toMatch(/Ask an admin/)
		await screenshot(ben.page, 'budgets-12-member-at-zero')
		expect(ada.errors).toEqual([])
		expect(ben.errors).toEqual([])
		await ada.context.close()
		await ben.context.close()
	})
})
