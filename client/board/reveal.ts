import { Box, type Editor, type TLShapeId } from 'tldraw'
import { DEFAULT_INSETS, framingInsets, type Insets, safeArea } from './insets'

const WAIT_MS = 15_000

/** Screen pixels a framed box may reach past the safe area: a fit lands on its edge, give or take. */
const TOLERANCE = 2

function comfortableViewport(editor: Editor, insets: Insets): Box {
	const zoom = editor.getZoomLevel()
	const viewport = editor.getViewportPageBounds()
	const left = (insets.left - TOLERANCE) / zoom
	const top = (insets.top - TOLERANCE) / zoom
	return new Box(
		viewport.x + left,
		viewport.y + top,
		Math.max(1, viewport.w - left - (insets.right - TOLERANCE) / zoom),
		Math.max(1, viewport.h - top - (insets.bottom - TOLERANCE) / zoom),
	)
}

/** Whether `box` (page space) shows whole, readably, clear of the UI around the canvas. */
export function isComfortablyInView(editor: Editor, box: Box, insets = framingInsets(editor)) {
	return (
		editor.getZoomLevel() >= READABLE_ZOOM - 1e-6 &&
		comfortableViewport(editor, insets).contains(box)
	)
}

/** The zoom at which `box` just fills the safe area of a screen this size. */
export function fitZoom(
	screen: { w: number; h: number },
	box: { w: number; h: number },
	insets: Insets = DEFAULT_INSETS,
): number {
	const safe = safeArea(screen, insets)
	return Math.min(safe.w / box.w, safe.h / box.h)
}

/** The least zoom at which a grid's images and labels read; a reveal never goes below it. */
export const READABLE_ZOOM = 0.5

/**
 * The camera that shows `boxes` inside the safe area (clear of the UI's `insets`): all of
 * them when they fit at a readable zoom, else the first one (the new result) alone, never zooming
 * out below READABLE_ZOOM nor in past the person's zoom (or 1 when they were zoomed out further).
 */
export function revealCamera(
	screen: { w: number; h: number },
	zoomNow: number,
	boxes: Box[],
	insets: Insets = DEFAULT_INSETS,
): { x: number; y: number; z: number } | null {
	const first = boxes[0]
	if (!first) return null
	const safe = safeArea(screen, insets)
	const fitOf = (box: Box) => fitZoom(screen, box, insets)
	const all = Box.Common(boxes)
	const target = fitOf(all) >= READABLE_ZOOM ? all : first
	// Keep the person's zoom when it reads; from further out come in to READABLE_ZOOM, no more.
	const zoom = Math.min(Math.max(zoomNow, READABLE_ZOOM), fitOf(target))
	// Centre the target in the safe area (which sits higher than the viewport's centre).
	const centerX = safe.x + safe.w / 2
	const centerY = safe.y + safe.h / 2
	return { x: -target.center.x + centerX / zoom, y: -target.center.y + centerY / zoom, z: zoom }
}

/**
 * Brings `ids` into view if any part of them is hidden (off screen or under the UI around the
 * canvas, measured from the DOM) or shown too small to read; the first id is the one that matters
 * (a new result).
 */
export function ensureVisible(editor: Editor, ids: TLShapeId[]) {
	const boxes = ids.map((id) => editor.getShapePageBounds(id)).filter((box): box is Box => !!box)
	if (boxes.length === 0) return
	const insets = framingInsets(editor)
	if (isComfortablyInView(editor, Box.Common(boxes), insets)) return
	const camera = revealCamera(
		editor.getViewportScreenBounds(),
		editor.getZoomLevel(),
		boxes,
		insets,
	)
	if (camera) editor.setCamera(camera, { animation: { duration: 320 } })
}

/**
 * A first visit: the whole board when it reads at a readable zoom, else the newest node (the
 * work people are on), framed the way a reveal frames it.
 */
export function frameOnOpen(editor: Editor) {
	const bounds = editor.getCurrentPageBounds()
	if (!bounds) return
	const screen = editor.getViewportScreenBounds()
	// On open the bars may not be mounted yet: keep at least the room they usually take.
	const measured = framingInsets(editor)
	const insets = {
		top: Math.max(measured.top, DEFAULT_INSETS.top),
		right: Math.max(measured.right, DEFAULT_INSETS.right),
		bottom: Math.max(measured.bottom, DEFAULT_INSETS.bottom),
		left: Math.max(measured.left, DEFAULT_INSETS.left),
	}
	const newest = [...editor.getCurrentPageShapesSorted()].reverse().find((s) => s.type !== 'arrow')
	const newestBox = newest ? editor.getShapePageBounds(newest.id) : undefined
	const whole = fitZoom(screen, bounds, insets) >= READABLE_ZOOM || !newestBox
	const camera = revealCamera(screen, 1, whole ? [bounds] : [newestBox], insets)
	if (camera) editor.setCamera(camera, { immediate: true })
}

/**
 * Once the server's shape `target` arrives through the doc, makes sure it is on screen together
 * with `context` (the parent it branched from, or its prompt card), then calls `onReady`.
 */
export function revealWhenReady(
	editor: Editor,
	target: TLShapeId,
	context: TLShapeId[] = [],
	onReady?: () => void,
) {
	let done = false
	let unlisten = () => {}
	const finish = () => {
		done = true
		clearTimeout(timer)
		unlisten()
	}
	const timer = setTimeout(finish, WAIT_MS)
	const attempt = () => {
		if (done || !editor.getShape(target)) return
		finish()
		ensureVisible(editor, [target, ...context])
		onReady?.()
	}
	unlisten = editor.store.listen(attempt, { scope: 'document' })
	attempt()
}

/**
 * Fits `box` into the safe area (clear of the UI around the canvas), at most at `maxZoom`: Arbor's
 * zoom to fit and zoom to selection, which tldraw would fit to the whole canvas, under the bars.
 */
export function frameBox(editor: Editor, box: Box, maxZoom = 1) {
	const screen = editor.getViewportScreenBounds()
	const insets = framingInsets(editor)
	const safe = safeArea(screen, insets)
	const z = Math.min(maxZoom, fitZoom(screen, box, insets))
	editor.setCamera(
		{
			x: -box.center.x + (safe.x + safe.w / 2) / z,
			y: -box.center.y + (safe.y + safe.h / 2) / z,
			z,
		},
		{ animation: { duration: editor.options.animationMediumMs } },
	)
}
