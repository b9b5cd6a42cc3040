import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

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
	return { context, page, errors }
}

export async function screenshot(page: Page, name: string): Promise<string> {
	const path = join(ARTIFACTS, `${name}.png`)
	await page.screenshot({ path })
	return path
}
