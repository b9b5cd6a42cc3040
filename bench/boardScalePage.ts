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
	/** Every image request's URL in the order sent (a URL asked twice counts twice). */
	const requests: string[] = []
	let lastFinished = performance.now()
	cdp.on('Network.requestWillBeSent', (e) => {
		if (!e.request.url.includes('/images/')) return
		urls.set(e.requestId, e.request.url)
		requests.push(e.request.url)
	})
	cdp.on('Network.loadingFinished', (e) => {
		const url = urls.get(e.requestId)
		if (url === undefined) return
		bytes.set(url, (bytes.get(url) ?? 0) + e.encodedDataLength)
		lastFinished = performance.now()
	})
	return {
		bytes,
		requests,
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

/**
 * Where the nodes of some images are against the current view: `inView` intersects the canvas,
 * `near` is within half a viewport of it (what a view may fairly preload), `far` beyond. Positions
 * come from each shape's page transform and the camera (culled shapes are `display: none`, so
 * their DOM boxes are empty). Run in the page with the image ids as argument.
 */
const PLACE_IMAGES = `(ids) => {
	const canvas = document.querySelector('.tl-canvas').getBoundingClientRect()
	const cam = document.querySelector('.tl-html-layer').style.transform.match(/scale\\(([-\\d.e]+)\\) translate\\(([-\\d.e]+)px, ?([-\\d.e]+)px\\)/)
	const [z, cx, cy] = [Number(cam[1]), Number(cam[2]), Number(cam[3])]
	const boxOf = new Map()
	for (const node of document.querySelectorAll('[data-testid="generation-node"]')) {
		const shape = node.closest('.tl-shape')
		const m = shape.style.transform.match(/matrix\\(([^)]*)\\)/)
		if (!m) continue
		const [, , , , px, py] = m[1].split(',').map(Number)
		const box = { x: canvas.left + (px + cx) * z, y: canvas.top + (py + cy) * z, w: parseFloat(shape.style.width) * z, h: parseFloat(shape.style.height) * z }
		const ids = node.dataset.imageIds ? node.dataset.imageIds.split(' ') : [...node.querySelectorAll('[data-image-id]')].map((c) => c.dataset.imageId)
		for (const id of ids) boxOf.set(id, box)
	}
	const hits = (b, m) => b.x + b.w > canvas.left - m * canvas.width && b.x < canvas.right + m * canvas.width && b.y + b.h > canvas.top - m * canvas.height && b.y < canvas.bottom + m * canvas.height
	const out = { inView: 0, near: 0, far: 0, unknown: 0 }
	for (const id of ids) {
		const b = boxOf.get(id)
		if (!b) out.unknown++
		else if (hits(b, 0)) out.inView++
		else if (hits(b, 0.5)) out.near++
		else out.far++
	}
	return out
}`

export interface RequestPlaces {
	requests: number
	inView: number
	near: number
	far: number
	unknown: number
}

/** Classifies the image requests `urls` by where their nodes are against the current view. */
export async function placeRequests(page: Page, urls: string[]): Promise<RequestPlaces> {
	const ids = urls.map((url) => decodeURIComponent(url.match(/\/images\/([^/]+)\/file/)?.[1] ?? ''))
	const places = (await page.evaluate(`(${PLACE_IMAGES})(${JSON.stringify(ids)})`)) as Omit<
		RequestPlaces,
		'requests'
	>
	return { requests: urls.length, ...places }
}
