import type { Page } from 'playwright-core'
import { screenshot as saveScreenshot } from './browser'

// Helpers for the steering browser test: sign-up, nodes by job, drops, settled screenshots.

/** Sign-up through the UI (shared with the other browser tests). */
export { signUpInUi as signUp } from './browser'

export const waitOnline = (page: Page) =>
	page.getByTestId('connection-status').and(page.locator('[data-state="online"]')).waitFor()

export const nodeOf = (page: Page, jobId: string) =>
	page.locator(`[data-testid="generation-node"][data-job-id="${jobId}"]`)

export const candidateOf = (page: Page, jobId: string, index: number) =>
	nodeOf(page, jobId).locator(`[data-testid="candidate"][data-index="${index}"]`)

/** The job id of the first node on the page that is not one of `known`. */
export async function newNode(page: Page, known: Set<string>, timeout = 30_000): Promise<string> {
	const handle = await page.waitForFunction(
		(known) =>
			[...document.querySelectorAll('[data-testid="generation-node"]')]
				.map((el) => el.getAttribute('data-job-id'))
				.find((id) => id && !known.includes(id)) ?? null,
		[...known],
		{ timeout },
	)
	const jobId = (await handle.jsonValue()) as string
	known.add(jobId)
	return jobId
}

/** Waits until the node of `jobId` is done and its `n` images are decoded and painted. */
export async function waitForImages(page: Page, jobId: string, n: number, timeout = 30_000) {
	await page.waitForFunction(
		({ jobId, n }) => {
			const node = document.querySelector(
				`[data-testid="generation-node"][data-job-id="${jobId}"][data-status="done"]`,
			)
			const imgs = node
				? [...node.querySelectorAll<HTMLImageElement>('[data-testid="candidate"] img')]
				: []
			return imgs.length === n && imgs.every((img) => img.complete && img.naturalWidth > 0)
		},
		{ jobId, n },
		{ timeout },
	)
}

/** Drops a file on the canvas at a screen point, the way a person dragging it from Finder would. */
export async function dropFile(
	page: Page,
	file: { name: string; type: string; bytes: Uint8Array },
	at: { x: number; y: number },
) {
	await page.evaluate(
		({ name, type, base64, at }) => {
			const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
			const transfer = new DataTransfer()
			transfer.items.add(new File([bytes], name, { type }))
			// The canvas itself: whatever sits over the point (a panel, the action bar) is not it.
			const target = document.querySelector('.tl-canvas')
			if (!target) throw new Error('no canvas to drop on')
			const init = { dataTransfer: transfer, clientX: at.x, clientY: at.y, bubbles: true }
			target.dispatchEvent(new DragEvent('dragover', { ...init, cancelable: true }))
			target.dispatchEvent(new DragEvent('drop', { ...init, cancelable: true }))
		},
		{ name: file.name, type: file.type, base64: Buffer.from(file.bytes).toString('base64'), at },
	)
}

/** Screenshots once entrance animations end (a popover caught half-faded tells nothing). */
export async function screenshot(page: Page, name: string) {
	await page.evaluate(() =>
		Promise.all(
			document
				.getAnimations()
				.filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
				// A cancelled animation rejects `finished`; it is gone either way.
				.map((a) => a.finished.catch(() => null)),
		),
	)
	await saveScreenshot(page, `steering-${name}`)
}
