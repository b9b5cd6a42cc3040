import { useEffect } from 'react'
import { react, useEditor } from 'tldraw'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import type { BoardContextValue } from './BoardContext'
import type { BoardSync } from './BoardSync'
import { frameOnOpen } from './reveal'
import { useSteeringKeys } from './useSteeringKeys'
import { rememberView, restoreView, viewKey } from './viewMemory'

/**
 * Editor-side wiring that renders nothing: publishes the cursor, keeps the active candidate in step
 * with the selection, frames the board on open, and handles Arbor's keyboard shortcuts.
 */
export function BoardEffects({
	sync,
	board,
	userId,
}: {
	sync: BoardSync
	board: BoardContextValue
	userId: string
}) {
	const editor = useEditor()

	useEffect(() => sync.attachEditor(editor), [sync, editor])

	// Opens where this person left the board; a first visit opens on the work at a readable zoom.
	useEffect(() => {
		const key = viewKey(board.boardId, userId)
		if (!restoreView(editor, key)) frameOnOpen(editor)
		return rememberView(editor, key)
	}, [editor, board.boardId, userId])

	// Deselecting a node (Escape, a click on the empty canvas) closes its inspector.
	useEffect(
		() =>
			react('active candidate follows selection', () => {
				const active = board.active.get()
				if (!active) {
					board.remixing.set(false)
					return
				}
				const selected = editor.getSelectedShapeIds()
				if (!selected.includes(active.shapeId)) board.active.set(null)
				// The node may have been deleted or re-run: drop a candidate that is no longer there.
				const node = editor.getShape<GenerationShape>(active.shapeId)
				const still = node?.props.candidates[active.index]
				if (!still || still.imageId !== active.imageId) board.active.set(null)
			}),
		[editor, board.active, board.remixing],
	)

	useSteeringKeys(editor, board)

	return null
}
