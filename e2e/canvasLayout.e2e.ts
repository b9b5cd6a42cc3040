import { writeFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server/server'
import { candidateRect } from '../shared/layout'
import { jobShapeIds } from '../shared/records'
import { acceptInvitation, newUserPage, startE2e } from './browser'
import {
	arrowProblems,
	cameraOf,
	canvasRect,
	docLayout,
	drawnArrowStarts,
	imagePixelShare,
	intersects,
	nodeRect,
	overlappingPairs,
	overlayRects,
	pageToScreen,
	visibilityProblems,
} from './canvasKit'
import {
	candidateOf,
	dropFile,
	newNode,
	nodeOf,
	signUp,
	waitForImages,
	waitOnline,
} from './steeringKit'

// The board reads as a tree (#11): eight ops from one candidate and three other trees, two people.
// Nothing overlaps, arrows leave from their candidate and cross no other node, each result shows
// readably to whoever asked (or behind a "new result" cue for the others), a reload keeps the
// view, and zoomed out every node still shows its images. Screenshots: /tmp/canvas-*.png.

let world: Awaited<ReturnType<typeof startE2e>>
let server: RunningServer
let browser: Browser

beforeAll(async () => {
	world = await startE2e({ name: 'canvas-layout' })
	;({ server, browser } = world)
})

afterAll(async () => {
	await world?.close()
})

async function shot(page: Page, name: string) {
	await page.evaluate(() =>
		Promise.all(
			document
				.getAnimations()
				.filter((a) => a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY)
				.map((a) => a.finished.catch(() => null)),
		),
	)
	const png = await page.screenshot()
	writeFileSync(`/tmp/canvas-${name}.png`, png)
	return png
}

/** Polls `read` until it returns an empty list, giving back the last list (empty when it settled). */
async function settled(read: () => Promise<string[]>, timeout = 6_000): Promise<string[]> {
	const deadline = Date.now() + timeout
	let last = await read()
	while (last.length > 0 && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 150))
		last = await read()
	}
	return last
}

async function imagine(page: Page, prompt: string, known: Set<string>) {
	await page.getByTestId('prompt-input').fill(prompt)
	await page.getByTestId('prompt-submit').click()
	const jobId = await newNode(page, known, 60_000)
	await waitForImages(page, jobId, 4, 90_000)
	return jobId
}

const EIGHT_OPS = [
	's',
	'Shift+S',
	'w',
	'Shift+W',
	'Alt+Shift+ArrowLeft',
	'Alt+Shift+ArrowRight',
	'Alt+Shift+ArrowUp',
	'Alt+Shift+ArrowDown',
]

describe('the board reads as a tree', () => {
	it('eight ops from one candidate and three more trees: laid out, framed, remembered', async () => {
		const a = await newUserPage(browser, server.url)
		const b = await newUserPage(browser, server.url)
		await Promise.all([a, b].map(({ page }) => page.emulateMedia({ reducedMotion: 'reduce' })))
		const stamp = Date.now()
		await signUp(a.page, 'Alice', `alice-${stamp}@example.com`)
		await signUp(b.page, 'Bob', `bob-${stamp}@example.com`)
		await a.page.getByTestId('board-name-input').fill('Tree study')
		await a.page.getByTestId('board-create').click()
		await a.page.waitForURL(/\/boards\/brd_/)
		const boardId = a.page.url().split('/boards/')[1] ?? ''
		const invite = await a.context.request.post(`/api/boards/${boardId}/members`, {
			data: { email: `bob-${stamp}@example.com`, role: 'editor' },
		})
		expect(invite.status()).toBe(201)
		await acceptInvitation(b, invite)
		await b.page.goto(`/boards/${boardId}`)
		await Promise.all([waitOnline(a.page), waitOnline(b.page)])
		const known = new Set<string>()
		const unreadable: Record<string, string[]> = {}

		// Alice's first tree, then eight ops from its candidate 3, each shown to her as it lands.
		const root = await imagine(a.page, 'a lighthouse at dusk over a calm sea', known)
		unreadable.root = await settled(() => visibilityProblems(a.page, root))
		await shot(a.page, '01-root')
		const branches: string[] = []
		for (const [i, key] of EIGHT_OPS.entries()) {
			// Candidate 3 stays picked while the camera shows each new result; its keys still steer it.
			if (i === 0) await candidateOf(a.page, root, 2).click()
			await expect.poll(() => candidateOf(a.page, root, 2).getAttribute('data-active')).toBe('true')
			await a.page.keyboard.press(key)
			const jobId = await newNode(a.page, known, 60_000)
			await waitForImages(a.page, jobId, 4, 90_000)
			branches.push(jobId)
			unreadable[`op ${i + 1} (${key})`] = await settled(() => visibilityProblems(a.page, jobId))
			if (i === 0 || i === 3 || i === 7) await shot(a.page, `02-op-${i + 1}`)
		}

		// Bob starts a tree far from where Alice looks: she gets a cue instead of a jump.
		await b.page.mouse.move(700, 400)
		for (let i = 0; i < 6; i++) await b.page.mouse.wheel(0, 900)
		const bobTree = await imagine(b.page, 'a fox in fresh snow, morning light', known)
		unreadable['Bob’s tree, for Bob'] = await settled(() => visibilityProblems(b.page, bobTree))
		// Bob varies his own grid too: Alice's cue collapses the two into one.
		await candidateOf(b.page, bobTree, 0).click()
		await b.page.keyboard.press('s')
		const bobVary = await newNode(b.page, known, 60_000)
		await waitForImages(b.page, bobVary, 4, 90_000)
		const cue = a.page.getByTestId('new-result-cue')
		await expect.poll(() => cue.getAttribute('data-count'), { timeout: 15_000 }).toBe('2')
		expect(await cue.textContent()).toContain('2 new results')
		await shot(a.page, '03-cue')
		// The cue itself covers no node in Alice's view.
		const cueBox = (await cue.boundingBox())!
		const cueRect = { x: cueBox.x, y: cueBox.y, w: cueBox.width, h: cueBox.height }
		const underCue: string[] = []
		for (const jobId of [root, ...branches]) {
			const rect = await nodeRect(a.page, jobId)
			if (rect && intersects(rect, cueRect)) underCue.push(jobId)
		}
		expect(underCue).toEqual([])
		// Show takes her to the newest, which brings his tree (beside it) into view too: both seen.
		await a.page.getByTestId('new-result-show').click()
		unreadable['Bob’s vary, for Alice after Show'] = await settled(() =>
			visibilityProblems(a.page, bobVary),
		)
		unreadable['Bob’s tree, for Alice after Show'] = await settled(() =>
			visibilityProblems(a.page, bobTree),
		)
		await cue.waitFor({ state: 'detached' })
		await shot(a.page, '04-cue-shown')

		// Alice's two more trees, from two other places on the board.
		await a.page.mouse.move(700, 400)
		for (let i = 0; i < 4; i++) await a.page.mouse.wheel(1200, 0)
		const third = await imagine(a.page, 'a glass greenhouse full of ferns', known)
		unreadable['third tree'] = await settled(() => visibilityProblems(a.page, third))
		for (let i = 0; i < 4; i++) await a.page.mouse.wheel(0, -1200)
		const fourth = await imagine(a.page, 'a night market lit by paper lanterns', known)
		unreadable['fourth tree'] = await settled(() => visibilityProblems(a.page, fourth))
		await shot(a.page, '05-fourth')

		// Bob's avatar in Alice's header takes her to where he is.
		await a.page.locator('[data-testid="presence-avatar"][data-self="false"]').click()
		unreadable['Bob’s tree, after the avatar jump'] = await settled(() =>
			visibilityProblems(a.page, bobTree),
		)
		await shot(a.page, '06-avatar-jump')

		// The layout in the doc: nothing overlaps; arrows leave from their candidate, cross nothing.
		const layout = docLayout(server.collab.boards.readRecords(boardId))
		expect(layout.nodes.filter((n) => n.kind === 'node')).toHaveLength(13)
		expect(overlappingPairs(layout.nodes)).toEqual([])
		expect(arrowProblems(layout)).toEqual([])

		// Fit all: every node shows its images; the drawn arrows start inside their candidate.
		await a.page.mouse.click(700, 120)
		await a.page.keyboard.press('Shift+1')
		await new Promise((resolve) => setTimeout(resolve, 1_500))
		const fit = await shot(a.page, '07-fit-all')
		const fitCamera = await cameraOf(a.page)
		const canvas = await canvasRect(a.page)
		const blank: string[] = []
		for (const node of layout.nodes.filter((n) => n.kind === 'node')) {
			const share = await imagePixelShare(fit, pageToScreen(node, fitCamera, canvas))
			if (share < 0.25) blank.push(`${node.jobId}: ${(share * 100).toFixed(0)} %`)
		}
		expect(blank).toEqual([])
		const starts = await drawnArrowStarts(a.page)
		const strayStarts: string[] = []
		// Zoomed out the root is drawn without its cells: candidate 3's rect scaled from the node's.
		const rootDoc = layout.nodes.find((n) => n.kind === 'node' && n.jobId === root)!
		const rootRect = pageToScreen(rootDoc, fitCamera, canvas)
		const scale = rootRect.w / rootDoc.w
		const cell = candidateRect(2, rootDoc)
		const cellRect = {
			x: rootRect.x + cell.x * scale,
			y: rootRect.y + cell.y * scale,
			w: cell.w * scale,
			h: cell.h * scale,
		}
		for (const jobId of branches) {
			const start = starts.find((s) => s.id === jobShapeIds(jobId).arrow)
			if (!start) strayStarts.push(`${jobId}: no arrow drawn`)
			else if (!intersects({ x: start.x, y: start.y, w: 0.01, h: 0.01 }, cellRect))
				strayStarts.push(
					`${jobId}: starts at ${start.x.toFixed(0)},${start.y.toFixed(0)}, cell ${JSON.stringify(cellRect)}`,
				)
		}
		expect(strayStarts).toEqual([])

		// Zoom to selection (Shift+2) frames the fourth tree's node clear of the bars; pick in it.
		// (Zoomed out, a node is painted by the overview: click where the doc puts it.)
		const fourthDoc = layout.nodes.find((n) => n.kind === 'node' && n.jobId === fourth)!
		const fourthRect = pageToScreen(fourthDoc, fitCamera, canvas)
		await a.page.mouse.click(fourthRect.x + fourthRect.w / 2, fourthRect.y + fourthRect.h / 2)
		await a.page.keyboard.press('Shift+2')
		unreadable['fourth tree, zoomed to selection'] = await settled(() =>
			visibilityProblems(a.page, fourth),
		)
		// A reload opens where Alice left the board.
		await candidateOf(a.page, fourth, 0).click()
		await a.page.getByTestId('action-bar').waitFor()
		const before = await cameraOf(a.page)
		await new Promise((resolve) => setTimeout(resolve, 800))
		await a.page.reload()
		await waitOnline(a.page)
		await nodeOf(a.page, fourth).waitFor()
		const after = await cameraOf(a.page)
		expect(after.z).toBeCloseTo(before.z, 3)
		expect(after.x).toBeCloseTo(before.x, 0)
		expect(after.y).toBeCloseTo(before.y, 0)
		await shot(a.page, '08-reloaded')

		// The steering bar and its upscale menu cover neither the active node nor any other.
		await candidateOf(a.page, fourth, 0).click()
		await a.page.getByTestId('action-bar').waitFor()
		await a.page.getByTestId('action-upscale').click()
		await a.page.getByTestId('upscale-menu').waitFor()
		await shot(a.page, '09-upscale-menu')
		const overlays = await overlayRects(a.page)
		const covered: string[] = []
		for (const node of layout.nodes.filter((n) => n.kind === 'node')) {
			const rect = await nodeRect(a.page, node.jobId)
			if (!rect) continue
			for (const name of ['steering bar', 'upscale menu'] as const) {
				const over = overlays[name]
				if (over && intersects(rect, over)) covered.push(`${name} over ${node.jobId}`)
			}
		}
		expect(covered).toEqual([])

		// A toast (a file the board refuses) sits where it covers no node.
		await a.page.keyboard.press('Escape')
		await dropFile(
			a.page,
			{ name: 'notes.txt', type: 'text/plain', bytes: new TextEncoder().encode('hi') },
			{ x: 500, y: 400 },
		)
		const toast = a.page.getByTestId('toast')
		await toast.waitFor()
		await shot(a.page, '10-toast')
		const toastBox = (await toast.boundingBox())!
		const toastRect = { x: toastBox.x, y: toastBox.y, w: toastBox.width, h: toastBox.height }
		const underToast: string[] = []
		for (const node of layout.nodes) {
			const rect = await nodeRect(a.page, node.jobId)
			if (node.kind === 'node' && rect && intersects(rect, toastRect)) underToast.push(node.jobId)
		}
		expect(underToast).toEqual([])

		expect(unreadable).toEqual(Object.fromEntries(Object.keys(unreadable).map((k) => [k, []])))
		expect(a.errors).toEqual([])
		expect(b.errors).toEqual([])
		await a.context.close()
		await b.context.close()
	}, 600_000)
})
