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

/**
 * Brings `ids` into view if any part of them is hidden (off screen or under the prompt bar),
 * framing them together without zooming in further than the person is now.
 */
export function ensureVisible(editor: Editor, ids: TLShapeId[]) {
	const boxes = ids.map((id) => editor.getShapePageBounds(id)).filter((box): box is Box => !!box)
	if (boxes.length === 0) return
	const target = Box.Common(boxes)
	if (comfortableViewport(editor).contains(target)) return
	const zoom = Math.min(
		editor.getZoomLevel(),
		// Fit inside the safe area, not the whole viewport.
		(editor.getViewportScreenBounds().w - SAFE_INSETS.left - SAFE_INSETS.right) / target.w,
		(editor.getViewportScreenBounds().h - SAFE_INSETS.top - SAFE_INSETS.bottom) / target.h,
	)
	const screen = editor.getViewportScreenBounds()
	// Centre the target in the safe area (which sits higher than the viewport's centre).
	const centerX = SAFE_INSETS.left + (screen.w - SAFE_INSETS.left - SAFE_INSETS.right) / 2
	const centerY = SAFE_INSETS.top + (screen.h - SAFE_INSETS.top - SAFE_INSETS.bottom) / 2
	editor.setCamera(
		{ x: -target.center.x + centerX / zoom, y: -target.center.y + centerY / zoom, z: zoom },
		{ animation: { duration: 320 } },
	)
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
