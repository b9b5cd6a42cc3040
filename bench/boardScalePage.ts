import type { CDPSession, Page } from 'playwright-core'

// The in-page half of the board-scale benchmark. Scripts are plain JavaScript strings, not
// functions handed to `page.evaluate`: tsx (esbuild, keepNames) wraps named functions in a
// `__name(…)` helper that does not exist in the page.

/**
 * Installed before any page script runs. Every 50 ms, until it holds, it checks "the board is open":
 * `expected` generation nodes are in the DOM (the doc synced, tldraw mounted every shape); every
 * node that tldraw has not culled and that intersects the canvas (the window minus the app's
 * header) has its four candidate cells; and every `<img>` among them that intersects the canvas is
 * loaded (zoomed far out a node is a `DistantNode`, with no images). Then it awaits `img.decode()`
 * for each and two animation frames (the decoded pixels have been painted) and stamps `openedAt`
 * (ms since navigation start). For an empty board (`expected` 0) "open" is the canvas mounted.
 */
const OPEN_PROBE = `(expected) => {
	const probe = { mountedAt: null, openedAt: null, visibleNodes: 0, imageIds: [], zoom: null }
	window.__arborOpen = probe
	let canvas = null
	const inView = (r) => !!canvas && r.width > 0 && r.right > canvas.left && r.bottom > canvas.top && r.left < canvas.right && r.top < canvas.bottom
	const tick = () => {
		canvas = document.querySelector('.tl-canvas')?.getBoundingClientRect()
		if (!canvas) return
		const nodes = document.querySelectorAll('[data-testid="generation-node"]')
		if (nodes.length < expected) return
		if (probe.mountedAt === null) probe.mountedAt = performance.now()
		const visible = [...nodes].filter((n) => n.closest('.tl-shape')?.style.display !== 'none' && inView(n.getBoundingClientRect()))
		if (expected > 0 && visible.length === 0) return
		if (visible.some((n) => n.querySelectorAll('.arbor-cell').length < 4)) return
		const imgs = visible.flatMap((n) => [...n.querySelectorAll('img')]).filter((img) => inView(img.getBoundingClientRect()))
		if (!imgs.every((img) => img.complete && img.naturalWidth > 0)) return
		clearInterval(timer)
		Promise.all(imgs.map((img) => img.decode().catch(() => {}))).then(() =>
			requestAnimationFrame(() => requestAnimationFrame(() => {
				probe.openedAt = performance.now()
				probe.visibleNodes = visible.length
				probe.imageIds = imgs.map((img) => img.closest('[data-image-id]')?.dataset.imageId)
				probe.zoom = document.querySelector('.tl-html-layer')?.style.transform ?? null
			})),
		)
	}
	const timer = setInterval(tick, 50)
}`

export interface OpenResult {
	/** Navigation start → every node mounted (doc synced + tldraw rendered all shapes). */
	mountedMs: number
	/** Navigation start → the nodes in view painted with their thumbnails decoded. */
	openMs: number
	visibleNodes: number
	/** Ids of the images in view when the board was open. */
	imageIds: string[]
	/** tldraw's html-layer transform then, `scale(z) translate(…)`. */
	camera: string | null
}

export async function installOpenProbe(page: Page, expectedNodes: number): Promise<void> {
	await page.addInitScript(`(${OPEN_PROBE})(${expectedNodes})`)
}

export async function waitForOpen(page: Page, timeoutMs = 120_000): Promise<OpenResult> {
	await page.waitForFunction('window.__arborOpen && window.__arborOpen.openedAt !== null', null, {
		timeout: timeoutMs,
		polling: 100,
	})
	const probe = (await page.evaluate('window.__arborOpen')) as {
		mountedAt: number
		openedAt: number
		visibleNodes: number
		imageIds: string[]
		zoom: string | null
	}
	return {
		mountedMs: probe.mountedAt,
		openMs: probe.openedAt,
		visibleNodes: probe.visibleNodes,
		imageIds: probe.imageIds,
		camera: probe.zoom,
	}
}

/** Every image response's bytes on the wire (CDP `encodedDataLength`), by URL. */
export async function recordImageBytes(page: Page) {
	const cdp: CDPSession = await page.context().newCDPSession(page)
	await cdp.send('Network.enable')
	const urls = new Map<string, string>()
	const bytes = new Map<string, number>()
	let lastFinished = performance.now()
	cdp.on('Network.requestWillBeSent', (e) => {
		if (e.request.url.includes('/images/')) urls.set(e.requestId, e.request.url)
	})
	cdp.on('Network.loadingFinished', (e) => {
		const url = urls.get(e.requestId)
		if (url === undefined) return
		bytes.set(url, (bytes.get(url) ?? 0) + e.encodedDataLength)
		lastFinished = performance.now()
	})
	return {
		bytes,
		/** Resolves once no image response has finished for `quietMs` (lazy loads have settled). */
		async settled(quietMs = 750, timeoutMs = 60_000) {
			const deadline = performance.now() + timeoutMs
			while (performance.now() - lastFinished < quietMs && performance.now() < deadline)
				await new Promise((r) => setTimeout(r, 50))
		},
		detach: () => cdp.detach(),
	}
}

export interface PanResult {
	fps: number
	frames: number
	/** 95th percentile and worst frame-to-frame interval. */
	p95Ms: number
	worstMs: number
	/** The camera moved (the wheel really panned). */
	moved: boolean
}

const FRAME_RECORDER = `(() => {
	const rec = { t: [], on: true }
	window.__arborFrames = rec
	const loop = (t) => { rec.t.push(t); if (rec.on) requestAnimationFrame(loop) }
	requestAnimationFrame(loop)
})()`

const camera = (page: Page) =>
	page.evaluate(`document.querySelector('.tl-html-layer')?.style.transform ?? ''`)

/** Wheel events per circle of the pan (at 60 Hz, 1.5 s); the pan runs whole circles. */
const STEPS_PER_CIRCLE = 90

/**
 * Pans the way a trackpad does: wheel events (tldraw's default wheel behaviour is pan) at ~60 Hz
 * over the middle of the canvas, the direction turning through `circles` whole circles so the view
 * ends where it started, over the board. Frame rate from `requestAnimationFrame` timestamps over
 * the same window.
 */
export async function measurePan(page: Page, circles = 2): Promise<PanResult> {
	await page.mouse.move(720, 450)
	const before = await camera(page)
	await page.evaluate(FRAME_RECORDER)
	const t0 = performance.now()
	let moved = false
	for (let step = 0; step < circles * STEPS_PER_CIRCLE; step++) {
		const angle = (step / STEPS_PER_CIRCLE) * 2 * Math.PI
		await page.mouse.wheel(Math.round(20 * Math.cos(angle)), Math.round(20 * Math.sin(angle)))
		if (step === 20) moved = (await camera(page)) !== before
		const wait = t0 + (step + 1) * (1000 / 60) - performance.now()
		if (wait > 0) await new Promise((r) => setTimeout(r, wait))
	}
	const times = (await page.evaluate(
		'(() => { window.__arborFrames.on = false; return window.__arborFrames.t })()',
	)) as number[]
	const gaps = times.slice(1).map((t, i) => t - times[i])
	const sorted = [...gaps].sort((a, b) => a - b)
	const span = times.at(-1)! - times[0]
	return {
		fps: ((times.length - 1) / span) * 1000,
		frames: times.length,
		p95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
		worstMs: sorted.at(-1) ?? 0,
		moved,
	}
}
