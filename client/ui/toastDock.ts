import { atom, type Editor } from 'tldraw'
import { CHROME_SELECTOR } from '../board/insets'
import { bestSpot } from '../board/overlaySpots'
import { nodesInView } from './steer/placement'

type Size = { w: number; h: number }
type Spot = { left: number; top: number }

/**
 * Where the toast stack goes while a board is open (a function of its size, in page pixels, read
 * reactively so it follows the camera); null elsewhere, where the stylesheet places it.
 */
export const toastPlacer = atom<((size: Size) => Spot) | null>('toast placer', null)

const EDGE = 12

/**
 * The corner (or the top middle) of the canvas where a toast stack of `size` covers the least of
 * the nodes in view, then of the UI over the canvas (prompt bar, menus): a notice never hides the
 * work it is about.
 */
export function placeToasts(editor: Editor, size: Size): Spot {
	const container = editor.getContainer()
	const canvas = container.getBoundingClientRect()
	// Reactive reads: the camera moves the nodes under the stack.
	const screen = editor.getViewportScreenBounds()
	const nodes = nodesInView(editor).map((r) => ({
		rect: { ...r, x: r.x + screen.x, y: r.y + screen.y },
		weight: 10,
	}))
	const chrome = [
		...(container.closest('.board-canvas') ?? container).querySelectorAll(CHROME_SELECTOR),
	]
		.map((e) => e.getBoundingClientRect())
		.filter((r) => r.width > 0)
		.map((r) => ({ rect: { x: r.x, y: r.y, w: r.width, h: r.height }, weight: 3 }))
	const left = canvas.x + EDGE
	const right = canvas.x + canvas.width - size.w - EDGE
	const middle = canvas.x + (canvas.width - size.w) / 2
	const top = canvas.y + EDGE
	const bottom = canvas.y + canvas.height - size.h - EDGE
	const spots = [
		{ x: middle, y: top },
		{ x: right, y: top },
		{ x: left, y: bottom },
		{ x: right, y: bottom },
		{ x: left, y: top },
	].map((p) => ({ ...p, ...size }))
	const bounds = { x: canvas.x, y: canvas.y, w: canvas.width, h: canvas.height }
	const best = spots[bestSpot(spots, bounds, [...nodes, ...chrome])]!
	return { left: best.x, top: best.y }
}
