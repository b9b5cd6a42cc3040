import { Box, type Editor, type TLShapeId } from 'tldraw'

const WAIT_MS = 15_000
/** Screen pixels kept clear around shapes we bring into view; the bottom holds the prompt bar. */
const SAFE_INSETS = { top: 24, right: 24, bottom: 190, left: 24 }

function comfortableViewport(editor: Editor): Box {
	const zoom = editor.getZoomLevel()
	const viewport = editor.getViewportPageBounds()
	const left = SAFE_INSETS.left / zoom
	const top = SAFE_INSETS.top / zoom
	return new Box(
		viewport.x + left,
		viewport.y + top,
		Math.max(1, viewport.w - left - SAFE_INSETS.right / zoom),
		Math.max(1, viewport.h - top - SAFE_INSETS.bottom / zoom),
	)
}

/** The zoom at which `box` just fills the safe area of a screen this size. */
export function fitZoom(screen: { w: number; h: number }, box: { w: number; h: number }): number {
	const safeW = Math.max(1, screen.w - SAFE_INSETS.left - SAFE_INSETS.right)
	const safeH = Math.max(1, screen.h - SAFE_INSETS.top - SAFE_INSETS.bottom)
	return Math.min(safeW / box.w, safeH / box.h)
}

/** The least zoom at which a grid's images and labels read; a reveal never goes below it. */
export const READABLE_ZOOM = 0.5

/**
 * The camera that shows `ids` inside the safe area (clear of the prompt bar and panels): all of
 * them when they fit at a readable zoom, else the first one (the new result) alone, never zooming
 * out below READABLE_ZOOM nor in past the person's zoom (or 1 when they were zoomed out further).
 */
export function revealCamera(
	screen: { w: number; h: number },
	zoomNow: number,
	boxes: Box[],
): { x: number; y: number; z: number } | null {
	const first = boxes[0]
	if (!first) return null
	const safeW = Math.max(1, screen.w - SAFE_INSETS.left - SAFE_INSETS.right)
	const safeH = Math.max(1, screen.h - SAFE_INSETS.top - SAFE_INSETS.bottom)
	const fitOf = (box: Box) => fitZoom(screen, box)
	const all = Box.Common(boxes)
	const target = fitOf(all) >= READABLE_ZOOM ? all : first
	// Keep the person's zoom when it reads; from further out come in to READABLE_ZOOM, no more.
	const zoom = Math.min(Math.max(zoomNow, READABLE_ZOOM), fitOf(target))
	// Centre the target in the safe area (which sits higher than the viewport's centre).
	const centerX = SAFE_INSETS.left + safeW / 2
	const centerY = SAFE_INSETS.top + safeH / 2
	return { x: -target.center.x + centerX / zoom, y: -target.center.y + centerY / zoom, z: zoom }
}

/**
 * Brings `ids` into view if any part of them is hidden (off screen or under the prompt bar) or
 * shown too small to read; the first id is the one that matters (a new result).
 */
export function ensureVisible(editor: Editor, ids: TLShapeId[]) {
	const boxes = ids.map((id) => editor.getShapePageBounds(id)).filter((box): box is Box => !!box)
	if (boxes.length === 0) return
	const zoomNow = editor.getZoomLevel()
	if (zoomNow >= READABLE_ZOOM && comfortableViewport(editor).contains(Box.Common(boxes))) return
	const camera = revealCamera(editor.getViewportScreenBounds(), zoomNow, boxes)
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
	const newest = [...editor.getCurrentPageShapesSorted()].reverse().find((s) => s.type !== 'arrow')
	const newestBox = newest ? editor.getShapePageBounds(newest.id) : undefined
	const whole = fitZoom(screen, bounds) >= READABLE_ZOOM || !newestBox
	const camera = revealCamera(screen, 1, whole ? [bounds] : [newestBox])
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
