import type { Editor } from 'tldraw'

/** Screen pixels along each edge of the canvas that UI covers: framed nodes stay inside the rest. */
export interface Insets {
	top: number
	right: number
	bottom: number
	left: number
}

export interface Rect {
	x: number
	y: number
	w: number
	h: number
}

/** Room kept between a framed node and the UI around it. */
const MARGIN = 16
/** What a board opens with before anything is measured (the prompt bar and tldraw's toolbar). */
export const DEFAULT_INSETS: Insets = { top: 56, right: 24, bottom: 190, left: 24 }

/**
 * What floats over the canvas along its edges: Arbor's own panels mark themselves with
 * `data-canvas-chrome` (the prompt bar, the queue, the presenter banner); tldraw's menus, toolbar
 * and navigation are found by their classes.
 */
export const CHROME_SELECTOR = [
	'[data-canvas-chrome]',
	'.tlui-menu-zone',
	'.tlui-main-toolbar__inner',
	'.tlui-navigation-panel',
	'.tlui-style-panel__wrapper',
].join(', ')

/**
 * The insets that keep clear of `overlays` (screen rects) over a canvas at `canvas`: each overlay
 * is charged to the edge it hugs, the one that costs the least room to stay clear of it.
 */
export function insetsFrom(canvas: Rect, overlays: Rect[], margin = MARGIN): Insets {
	const insets: Insets = { top: margin, right: margin, bottom: margin, left: margin }
	for (const o of overlays) {
		const x0 = Math.max(o.x, canvas.x)
		const y0 = Math.max(o.y, canvas.y)
		const x1 = Math.min(o.x + o.w, canvas.x + canvas.w)
		const y1 = Math.min(o.y + o.h, canvas.y + canvas.h)
		if (x1 <= x0 || y1 <= y0) continue
		const costs: [keyof Insets, number][] = [
			['top', y1 - canvas.y],
			['bottom', canvas.y + canvas.h - y0],
			['left', x1 - canvas.x],
			['right', canvas.x + canvas.w - x0],
		]
		const [edge, cost] = costs.reduce((best, next) => (next[1] < best[1] ? next : best))
		insets[edge] = Math.max(insets[edge], cost + margin)
	}
	return insets
}

function rectOf(element: Element): Rect {
	const r = element.getBoundingClientRect()
	return { x: r.x, y: r.y, w: r.width, h: r.height }
}

/**
 * The editor's insets as the page is laid out now, measured from the DOM. Outside a board page
 * (tests without a DOM) the defaults.
 */
export function measureInsets(editor: Editor): Insets {
	if (typeof document === 'undefined') return DEFAULT_INSETS
	const container = editor.getContainer()
	const canvas = container.closest('.board-canvas') ?? container
	const overlays = [...canvas.querySelectorAll(CHROME_SELECTOR)]
		.filter((element) => element.getClientRects().length > 0)
		.map(rectOf)
	return insetsFrom(rectOf(container), overlays)
}

/** The part of a `screen`-sized canvas inside `insets`, never smaller than a pixel. */
export function safeArea(screen: { w: number; h: number }, insets: Insets): Rect {
	return {
		x: insets.left,
		y: insets.top,
		w: Math.max(1, screen.w - insets.left - insets.right),
		h: Math.max(1, screen.h - insets.top - insets.bottom),
	}
}

/** Room kept for the steering bar beside what it steers: its height and a gap either side. */
const BAR_ROOM = 24

/**
 * The insets to frame nodes with: `measureInsets` plus, while the steering bar shows, its height
 * at the bottom, so a framed result and the bar that steers its parent fit on screen together
 * instead of the bar landing on the result.
 */
export function framingInsets(editor: Editor): Insets {
	const insets = measureInsets(editor)
	if (typeof document === 'undefined') return insets
	const container = editor.getContainer()
	const canvas = container.closest('.board-canvas') ?? container
	const bar = canvas.querySelector<HTMLElement>('[data-testid="action-bar"]')
	return bar ? { ...insets, bottom: insets.bottom + bar.offsetHeight + BAR_ROOM } : insets
}
