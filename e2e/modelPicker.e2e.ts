import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBuiltinBackend } from '../engines/builtin/builtinBackend'
import type { Engine } from '../engines/types'
import type { RunningServer } from '../server/server'
import { acceptInvitation, newUserPage, screenshot, signUpInUi, startE2e } from './browser'

// The model picker and live previews in two browsers: A picks one of two models online (with their
// prices), prompts; B sees the pending node's live preview before the result lands, then the
// grid. Steering keeps the node's model unless A picks another in the steering bar.

/**
 * The builtin painter standing in for an engine that serves two models (as a ComfyUI with two
 * checkpoints would): it paints the same way for both and records the model it was asked for.
 * Slowed down so its coarse-to-fine previews can be watched.
 */
function twoModelPainter(): Engine {
	const painter = createBuiltinBackend({ delayMs: 5_000, model: 'painter-alpha' })
	return {
		...painter,
		async models() {
			return [
				{ id: 'painter-alpha', name: 'painter-alpha', hash: null },
				{ id: 'painter-beta.safetensors', name: 'painter-beta.safetensors', hash: null },
			]
		},
		async generate(request, options) {
			const images = await painter.generate(request, options)
			const model = request.model ?? painter.info.model
			return images.map((image) => ({ ...image, record: { ...image.record, model } }))
		},
	}
}

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	world = await startE2e({ name: 'model-picker', backend: twoModelPainter() })
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

const node = (page: Page, jobId: string) =>
	page.locator(`[data-testid="generation-node"][data-job-id="${jobId}"]`)

/** Both `/tmp/picker-<name>.png` (to look at) and the e2e artifacts. */
async function shoot(page: Page, name: string) {
	await page.screenshot({ path: `/tmp/picker-${name}.png` })
	await screenshot(page, `picker-${name}`)
}

describe('the model picker and live previews', () => {
	it('lists the models with prices, picks one; a second person sees the preview before the result', async () => {
		const a = await newUserPage(browser, server.url)
		const b = await newUserPage(browser, server.url)
		const stamp = Date.now()
		// The first account is the instance admin: it prices the beta model.
		await signUpInUi(a.page, 'Ada', `ada-${stamp}@example.com`)
		await signUpInUi(b.page, 'Ben', `ben-${stamp}@example.com`)
		const priced = await a.context.request.put('/api/admin/model-prices', {
			data: { model: 'painter-beta.safetensors', price: 6 },
		})
		expect(priced.status()).toBe(200)

		await a.page.getByTestId('board-name-input').fill('Model picker')
		await a.page.getByTestId('board-create').click()
		await a.page.waitForURL(/\/boards\/brd_/)
		const boardId = a.page.url().split('/boards/')[1]
		const invite = await a.context.request.post(`/api/boards/${boardId}/members`, {
			data: { email: `ben-${stamp}@example.com`, role: 'editor' },
		})
		expect(invite.status()).toBe(201)
		await acceptInvitation(b, invite)
		await b.page.goto(`/boards/${boardId}`)

		// The picker lists both models online, each with what a prompt costs on it.
		const picker = a.page.getByTestId('prompt-model')
		await picker.waitFor()
		await expect
			.poll(() => picker.locator('option').allTextContents())
			.toEqual(['painter-alpha · 4 cr', 'painter-beta · 6 cr'])
		// Keyboard: the picker is a native select, reached and changed from the keyboard.
		await picker.focus()
		await a.page.keyboard.press('ArrowDown')
		await expect.poll(() => picker.inputValue()).toBe('painter-beta.safetensors')
		await expect.poll(() => a.page.getByTestId('prompt-hint').textContent()).toContain('6 credits')
		await a.page.getByTestId('prompt-input').fill('a glasshouse full of ferns at dawn')
		await shoot(a.page, 'prompt-bar')
		await a.page.getByTestId('prompt-submit').click()

		// B sees A's node pending, then a live preview painted in it, before the grid lands.
		await b.page.getByTestId('generation-node').first().waitFor()
		const jobId = (await b.page.getByTestId('generation-node').first().getAttribute('data-job-id'))!
		const job = await (await a.context.request.get(`/api/boards/${boardId}/jobs/${jobId}`)).json()
		expect(job.job).toMatchObject({ model: 'painter-beta.safetensors', cost: 6 })
		await b.page.waitForFunction(
			(id) => {
				const el = document.querySelector(`[data-testid="generation-node"][data-job-id="${id}"]`)
				const img = el?.querySelector<HTMLImageElement>('[data-testid="job-preview"]')
				return (
					el?.getAttribute('data-status') === 'running' &&
					img?.complete === true &&
					img.naturalWidth > 0
				)
			},
			jobId,
			{ timeout: 30_000 },
		)
		const preview = await node(b.page, jobId).getAttribute('data-status')
		expect(preview).toBe('running')
		await shoot(b.page, 'preview-B')

		await expect
			.poll(() => node(b.page, jobId).getAttribute('data-status'), { timeout: 30_000 })
			.toBe('done')
		await expect.poll(() => node(b.page, jobId).getByTestId('job-preview').count()).toBe(0)
		await b.page.waitForFunction(
			(id) => {
				const imgs = document.querySelectorAll<HTMLImageElement>(
					`[data-testid="generation-node"][data-job-id="${id}"] [data-testid="candidate"] img`,
				)
				return imgs.length === 4 && [...imgs].every((img) => img.complete && img.naturalWidth > 0)
			},
			jobId,
			{ timeout: 30_000 },
		)
		await shoot(b.page, 'final-B')

		// A steers candidate 1: the steering bar shows the node's model; picking the other one
		// highlights it and the vary runs on it.
		await node(a.page, jobId).getByTestId('candidate').first().click()
		const steer = a.page.getByTestId('steer-model')
		await steer.waitFor()
		await expect.poll(() => steer.inputValue()).toBe('painter-beta.safetensors')
		expect(await steer.getAttribute('data-changed')).toBeNull()
		await steer.selectOption('painter-alpha')
		await expect.poll(() => steer.getAttribute('data-changed')).toBe('true')
		await shoot(a.page, 'steer')
		await a.page.getByTestId('action-vary-subtle').click()
		await expect.poll(() => a.page.getByTestId('generation-node').count()).toBe(2)
		const ids = await a.page
			.getByTestId('generation-node')
			.evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')))
		const varyId = ids.find((id) => id !== jobId)
		const varyJob = await (
			await a.context.request.get(`/api/boards/${boardId}/jobs/${varyId}`)
		).json()
		expect(varyJob.job).toMatchObject({ op: 'vary', model: 'painter-alpha', cost: 4 })

		// The board remembers the model its last prompt picked.
		await a.page.reload()
		await expect
			.poll(() => a.page.getByTestId('prompt-model').inputValue())
			.toBe('painter-beta.safetensors')

		// The admin page lists the models with their prices.
		await a.page.goto('/admin')
		await a.page.getByTestId('model-prices').waitFor()
		await expect.poll(() => a.page.getByTestId('model-price-row').count()).toBe(2)
		await a.page.getByTestId('model-prices').scrollIntoViewIfNeeded()
		await shoot(a.page, 'admin')

		expect(a.errors).toEqual([])
		expect(b.errors).toEqual([])
		await a.context.close()
		await b.context.close()
	})
})
