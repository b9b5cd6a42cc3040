import type { Editor, TLShapeId } from 'tldraw'
import { z } from 'zod'

/** Where each person left a board (camera and selection), kept in their browser per board. */
const SavedViewSchema = z.object({
	x: z.number().finite(),
	y: z.number().finite(),
	z: z.number().finite().positive(),
	selected: z.array(z.string()).max(500),
})
export type SavedView = z.infer<typeof SavedViewSchema>

const SAVE_AFTER_MS = 400

export function viewKey(boardId: string, userId: string): string {
	return `arbor:view:${boardId}:${userId}`
}

/** The saved view, or null when there is none or it is not one (an old or tampered entry). */
export function readView(storage: Pick<Storage, 'getItem'>, key: string): SavedView | null {
	const raw = storage.getItem(key)
	if (!raw) return null
	try {
		const parsed = SavedViewSchema.safeParse(JSON.parse(raw))
		return parsed.success ? parsed.data : null
	} catch {
		// Not JSON: treat it as no saved view; the board opens framed instead.
		return null
	}
}

export function writeView(storage: Pick<Storage, 'setItem'>, key: string, view: SavedView) {
	try {
		storage.setItem(key, JSON.stringify(view))
	} catch {
		// Storage full or disabled (private mode): the view is simply not remembered.
	}
}

/** Puts the camera and selection back where they were; false when nothing was saved. */
export function restoreView(editor: Editor, key: string): boolean {
	const view = readView(localStorage, key)
	if (!view) return false
	editor.setCamera({ x: view.x, y: view.y, z: view.z }, { immediate: true })
	const present = view.selected.filter((id) => editor.getShape(id as TLShapeId))
	if (present.length > 0) editor.setSelectedShapes(present as TLShapeId[])
	return true
}

/** Saves the view whenever the camera or selection settles; returns the unsubscribe. */
export function rememberView(editor: Editor, key: string): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined
	const save = () => {
		timer = undefined
		const { x, y, z } = editor.getCamera()
		writeView(localStorage, key, { x, y, z, selected: editor.getSelectedShapeIds() })
	}
	const unlisten = editor.store.listen(
		() => {
			if (timer === undefined) timer = setTimeout(save, SAVE_AFTER_MS)
		},
		{ scope: 'session' },
	)
	return () => {
		unlisten()
		if (timer !== undefined) {
			clearTimeout(timer)
			save()
		}
	}
}
