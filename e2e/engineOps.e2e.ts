import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../engines/openai/testing/fakeOpenAI'
import type { RunningServer } from '../server/server'
import { newUserPage, screenshot, signUpInUi, startE2e } from './browser'
import { candidateOf, newNode, waitForImages } from './steeringKit'

// On an OpenAI-style engine (the fake on port 0) upscale is offered nowhere on its nodes — not on
// the steering bar, not as the review's Commit pick (which upscales) — while vary, zoom out and
// pan stay; the inspector shows the size the engine really painted and says it took no seed.

const KEY = 'sk-e2e-engine-ops-0123456789'
let fake: FakeOpenAI
let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	fake = await startFakeOpenAI({ apiKey: KEY })
	world = await startE2e({
		name: 'engine-ops',
		env: {
			ARBOR_BACKEND: 'openai',
			ARBOR_OPENAI_BASE_URL: `${fake.url}/v1`,
			ARBOR_OPENAI_API_KEY: KEY,
		},
	})
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
	await fake?.close()
})

describe('ops an engine cannot run', () => {
	it('are not offered on its nodes', async () => {
		const { page, context, errors } = await newUserPage(browser, server.url)
		await signUpInUi(page, 'Oona', `oona-${Date.now()}@example.com`)
		await page.getByTestId('board-name-input').fill('Hosted model')
		await page.getByTestId('board-create').click()
		await page.waitForURL(/\/boards\/brd_/)
		await page.getByTestId('connection-status').filter({ hasText: /live/i }).waitFor()

		await page.getByTestId('prompt-input').fill('a glass greenhouse')
		await page.getByTestId('prompt-submit').click()
		const jobId = await newNode(page, new Set())
		await waitForImages(page, jobId, 4)
		await candidateOf(page, jobId, 1).click()
		await page.getByTestId('action-bar').waitFor()

		// Committing a pick upscales: not offered.
		const commit = page.getByTestId('commit-pick')
		await expect.poll(() => commit.getAttribute('data-unsupported')).toBe('true')
		expect(await commit.isDisabled()).toBe(true)
		expect(await commit.getAttribute('title')).toMatch(/openai\) can’t upscale/)
		// Upscale is not on the steering bar either; vary, zoom out and pan are.
		await page.getByTestId('action-vary-subtle').waitFor()
		expect(await page.getByTestId('action-upscale').count()).toBe(0)
		expect(await page.getByTestId('action-zoom-2').isDisabled()).toBe(false)
		await screenshot(page, 'engine-ops-01-no-upscale')

		// The inspector: the size the engine really painted, and no seed claimed.
		await page.getByTestId('inspector-provenance').waitFor()
		expect(await page.getByTestId('inspector-size').textContent()).toMatch(/^1024 × 1024/)
		expect(await page.getByTestId('inspector-seed').textContent()).toMatch(/does not take seeds/)

		expect(errors).toEqual([])
		await context.close()
	}, 90_000)
})
