import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import {
	type APIResponse,
	type Browser,
	type BrowserContext,
	chromium,
	type Page,
} from 'playwright-core'
import type { Engine } from '../engines/types'
import { loadConfig } from '../server/config'
import { createLogger } from '../server/logger'
import { startServer } from '../server/server'
import { tempDir } from '../server/test/factories'

export const ARTIFACTS = join(import.meta.dirname, 'artifacts')

/**
 * Debian's Chromium with the flags this offline, root, GPU-less machine needs. Playwright gives
 * every launch a fresh temporary profile.
 */
export async function launchChromium(): Promise<Browser> {
	mkdirSync(ARTIFACTS, { recursive: true })
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	})
}

export async function newUserPage(browser: Browser, baseURL: string) {
	const context: BrowserContext = await browser.newContext({
		baseURL,
		viewport: { width: 1440, height: 900 },
	})
	const page: Page = await context.newPage()
	const errors: string[] = []
	page.on('pageerror', (err) => errors.push(err.message))
	// The server's content security policy: anything it blocks is a bug (a remote URL, an inline
	// script), reported by Chromium on the console.
	page.on('console', (message) => {
		if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
			errors.push(message.text())
	})
	return { context, page, errors }
}

/**
 * The invitee accepts the invitation that `invite` (an owner's `POST …/members`) answered with:
 * adding someone invites them, and the board reaches them once they accept.
 */
export async function acceptInvitation(invitee: { context: BrowserContext }, invite: APIResponse) {
	const { invitation } = (await invite.json()) as { invitation: { id: string } }
	const res = await invitee.context.request.post(`/api/invitations/${invitation.id}/accept`, {
		data: {},
	})
	if (res.status() !== 200) throw new Error(`accept failed: ${res.status()} ${await res.text()}`)
}

export async function screenshot(page: Page, name: string): Promise<string> {
	const path = join(ARTIFACTS, `${name}.png`)
	await page.screenshot({ path })
	return path
}

/**
 * One browser test's world: a real server on port 0 over a temp data dir, serving the built
 * client (`npm run build` first), and a Chromium. `env` adds configuration; `backend` replaces
 * the generator (a test backend that fails on cue, say).
 */
export async function startE2e(options: {
	name: string
	env?: Record<string, string>
	backend?: Engine
}) {
	const tmp = tempDir(`arbor-e2e-${options.name}-`)
	const config = loadConfig({
		PORT: '0',
		HOST: '127.0.0.1',
		ARBOR_DATA_DIR: tmp.dir,
		ARBOR_CLIENT_DIR: join(import.meta.dirname, '..', 'dist'),
		LOG_LEVEL: 'silent',
		...options.env,
	})
	const server = await startServer({
		config,
		logger: createLogger('silent'),
		backend: options.backend,
	})
	const browser = await launchChromium()
	return {
		server,
		browser,
		async close() {
			await browser.close()
			await server.close()
			tmp.remove()
		},
	}
}

/** Signs a new person up through the real sign-in page and waits for their board list. */
export async function signUpInUi(page: Page, name: string, email: string) {
	await page.goto('/')
	await page.getByTestId('auth-form').waitFor()
	// The form opens on sign-in; switch to sign-up if the name field is not shown yet.
	if (!(await page.getByTestId('auth-name').isVisible()))
		await page.getByTestId('auth-toggle').click()
	await page.getByTestId('auth-name').fill(name)
	await page.getByTestId('auth-email').fill(email)
	await page.getByTestId('auth-password').fill('correct horse battery')
	await page.getByTestId('auth-submit').click()
	await page.getByTestId('board-list').or(page.getByTestId('boards-empty')).first().waitFor()
}
