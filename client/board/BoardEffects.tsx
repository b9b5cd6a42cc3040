import { useEffect } from 'react'
import { react, type TLShapeId, useEditor } from 'tldraw'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import type { BoardContextValue } from './BoardContext'
import type { BoardSync } from './BoardSync'
import { isTypingTarget, shortcutFor } from './shortcuts'

/**
 * Editor-side wiring that renders nothing: publishes the cursor, keeps the active candidate in step
 * with the selection, frames the board on open, and handles Arbor's keyboard shortcuts.
 */
export function BoardEffects({ sync, board }: { sync: BoardSync; board: BoardContextValue }) {
	const editor = useEditor()

	useEffect(() => sync.attachEditor(editor), [sync, editor])

	useEffect(() => {
		const bounds = editor.getCurrentPageBounds()
		if (bounds) editor.zoomToBounds(bounds, { targetZoom: 1, immediate: true })
	}, [editor])

	// Deselecting a node (Escape, a click on the empty canvas) closes its inspector.
	useEffect(
		() =>
			react('active candidate follows selection', () => {
				const active = board.active.get()
				if (!active) return
				const selected = editor.getSelectedShapeIds()
				if (!selected.includes(active.shapeId)) board.active.set(null)
				// The node may have been deleted or re-run: drop a candidate that is no longer there.
				const node = editor.getShape<GenerationShape>(active.shapeId)
				const still = node?.props.candidates[active.index]
				if (!still || still.imageId !== active.imageId) board.active.set(null)
			}),
		[editor, board.active],
	)

	useEffect(() => {
		const selectedNode = (): GenerationShape | null => {
			const active = board.active.get()
			const ids: TLShapeId[] = active ? [active.shapeId] : editor.getSelectedShapeIds()
			if (ids.length !== 1) return null
			const shape = editor.getShape(ids[0])
			return shape?.type === GENERATION_SHAPE ? (shape as GenerationShape) : null
		}
		const onKeyDown = (event: KeyboardEvent) => {
			if (event.defaultPrevented || isTypingTarget(event.target)) return
			if (editor.getEditingShapeId() || editor.menus.hasAnyOpenMenus()) return
			const action = shortcutFor(event)
			if (!action) return
			if (action.kind === 'toggleQueue') {
				event.preventDefault()
				board.queueOpen.update((open) => !open)
				return
			}
			if (action.kind === 'pick') {
				const node = selectedNode()
				const candidate = node?.props.status === 'done' && node.props.candidates[action.index]
				if (!node || !candidate) return
				event.preventDefault()
				board.pick({ shapeId: node.id, index: action.index, imageId: candidate.imageId })
				return
			}
			const active = board.active.get()
			if (!active || !board.canEdit) return
			event.preventDefault()
			void board.vary(active.imageId, action.strength)
		}
		window.addEventListener('keydown', onKeyDown)
		return () => window.removeEventListener('keydown', onKeyDown)
	}, [editor, board])

	return null
}
