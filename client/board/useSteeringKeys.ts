import { useEffect } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import { useToasts } from '../ui/Toasts'
import type { BoardContextValue, ExploreRequest } from './BoardContext'
import { isTypingTarget, type ShortcutAction, shortcutFor } from './shortcuts'
import { steeringRefusal } from './steeringRefusal'

/** Whether a node can be rerolled: a finished grid (not a final, not an upload). */
export function canReroll(node: GenerationShape): boolean {
	return node.props.kind === 'grid' && node.props.status === 'done' && node.props.jobId !== ''
}

/** The exploration request a candidate shortcut stands for; null for the others. */
export function candidateRequest(action: ShortcutAction, imageId: string): ExploreRequest | null {
	switch (action.kind) {
		case 'vary':
			return { op: 'vary', parentImageId: imageId, params: { strength: action.strength } }
		case 'zoomOut':
			return { op: 'zoom_out', parentImageId: imageId, params: { factor: action.factor } }
		case 'pan':
			return { op: 'pan', parentImageId: imageId, params: { direction: action.direction } }
		default:
			return null
	}
}

/**
 * Arbor's keys on the board (see shortcuts.ts for how they avoid tldraw's): pick a candidate,
 * steer the active one, reroll the selected node, toggle the queue. A key that cannot act says
 * why in a toast (`steeringRefusal`).
 */
export function useSteeringKeys(editor: Editor, board: BoardContextValue) {
	const toasts = useToasts()
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
			const node = selectedNode()
			const active = board.active.get()
			// A reroll needs a finished grid; the other keys a finished node.
			const nodeDone =
				!!node && (action.kind === 'reroll' ? canReroll(node) : node.props.status === 'done')
			const refusal = steeringRefusal(action, {
				canEdit: board.canEdit,
				hasNode: !!node,
				nodeDone,
				hasActive: !!active,
			})
			if (refusal) {
				toasts.show('info', refusal)
				return
			}
			if (action.kind === 'pick') {
				const candidate = node?.props.candidates[action.index]
				if (!node || !candidate) return
				event.preventDefault()
				board.pick({ shapeId: node.id, index: action.index, imageId: candidate.imageId })
				return
			}
			if (action.kind === 'reroll') {
				if (!node) return
				event.preventDefault()
				void board.explore({ op: 'reroll', parentJobId: node.props.jobId })
				return
			}
			if (!active) return
			event.preventDefault()
			if (action.kind === 'remix') board.remixing.set(true)
			else if (action.kind === 'upscale')
				void board.upscale(active, { mode: action.mode, factor: action.factor })
			else {
				const request = candidateRequest(action, active.imageId)
				if (request) void board.explore(request)
			}
		}
		window.addEventListener('keydown', onKeyDown)
		return () => window.removeEventListener('keydown', onKeyDown)
	}, [editor, board, toasts])
}
