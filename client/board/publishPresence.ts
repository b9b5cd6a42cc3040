import { type Editor, react } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { cursorPresence, sameViewport, type ViewportPresence, viewportPresence } from './presence'

/** At most one viewport publish per this many ms: followers chase it smoothly in between. */
export const VIEWPORT_THROTTLE_MS = 80

export interface PublishPresenceOptions {
	editor: Editor
	/** This tab's awareness on the board's provider; its local state gains `cursor`, `camera`, `screen`. */
	awareness: Awareness
}

/**
 * Publishes this user's cursor (page space) while the pointer is over the canvas, and the
 * viewport (camera + canvas size, throttled) that followers copy. Changes within one frame go out
 * as one awareness update: y-websocket sends the whole local state on every change, so a cursor
 * and a camera move in the same frame should not cost two messages. Returns the teardown.
 */
export function publishPresence({ editor, awareness }: PublishPresenceOptions): () => void {
	let frame = 0
	let timer: ReturnType<typeof setTimeout> | undefined
	let lastViewportAt = 0
	let lastCursor: { x: number; y: number } | null = null
	let lastViewport: ViewportPresence | null = null
	const pending: Record<string, unknown> = {}
	const flush = () => {
		frame = 0
		const state = awareness.getLocalState()
		// Null once the board is disposed: there is no one left to publish as.
		if (!state) return
		awareness.setLocalState({ ...state, ...pending })
		for (const key of Object.keys(pending)) delete pending[key]
	}
	const publish = (fields: Record<string, unknown>) => {
		Object.assign(pending, fields)
		if (!frame) frame = requestAnimationFrame(flush)
	}
	const stopCursor = react('publish cursor', () => {
		const hovering = editor.getInstanceState().isHoveringCanvas
		const cursor = cursorPresence(editor.inputs.getCurrentPagePoint(), hovering === true)
		if (cursor?.x === lastCursor?.x && cursor?.y === lastCursor?.y) return
		lastCursor = cursor
		publish({ cursor })
	})
	const stopViewport = react('publish viewport', () => {
		const screen = editor.getViewportScreenBounds()
		const viewport = viewportPresence(editor.getCamera(), { w: screen.w, h: screen.h })
		if (!viewport || sameViewport(viewport, lastViewport)) return
		lastViewport = viewport
		clearTimeout(timer)
		const send = () => {
			lastViewportAt = Date.now()
			publish({ camera: viewport.camera, screen: viewport.screen })
		}
		// Throttled with a trailing send, so followers always end where the leader stopped.
		const wait = lastViewportAt + VIEWPORT_THROTTLE_MS - Date.now()
		if (wait <= 0) send()
		else timer = setTimeout(send, wait)
	})
	return () => {
		stopCursor()
		stopViewport()
		clearTimeout(timer)
		cancelAnimationFrame(frame)
	}
}
