import { useEffect, useRef, useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import type { DecisionState } from '../../../shared/review'
import { GENERATION_SHAPE, type GenerationShape } from '../../../shared/shapes/generationShape'
import type { ActiveCandidate } from '../../board/BoardContext'
import { isTypingTarget, type ReviewShortcut, reviewShortcutFor } from '../../board/shortcuts'
import type { ReviewContextValue } from './ReviewContext'

/** The current time, moving every `intervalMs`, for "2 min ago" labels that stay true. */
export function useNow(intervalMs = 30_000): number {
	const [now, setNow] = useState(() => Date.now())
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), intervalMs)
		return () => clearInterval(timer)
	}, [intervalMs])
	return now
}

/** One image's live marks: its decision (`none` when unmarked) and open comment count. */
export function useImageMarks(review: ReviewContextValue | null, imageId: string) {
	const decision = useValue(
		'decision',
		(): DecisionState => review?.marks.get().decisions[imageId] ?? 'none',
		[review, imageId],
	)
	const openComments = useValue('open comments', () => review?.marks.get().comments[imageId] ?? 0, [
		review,
		imageId,
	])
	return { decision, openComments }
}

/** Where a candidate sits on the canvas, found by its image id; null when no node shows it. */
export function findCandidate(editor: Editor, imageId: string): ActiveCandidate | null {
	for (const shape of editor.getCurrentPageShapes()) {
		if (shape.type !== GENERATION_SHAPE) continue
		const node = shape as GenerationShape
		const index = node.props.candidates.findIndex((c) => c.imageId === imageId)
		if (index >= 0 && index < node.props.slots) return { shapeId: node.id, index, imageId }
	}
	return null
}

/**
 * The review keys (see `reviewShortcutFor`) while a candidate is open in the inspector. Never
 * while typing, editing a shape or with a menu open.
 */
export function useReviewKeys(editor: Editor, onKey: (action: ReviewShortcut) => boolean) {
	// The latest handler, so the listener is added once per editor rather than once per render.
	const handler = useRef(onKey)
	handler.current = onKey
	useEffect(() => {
		const onKeyDown = (event: KeyboardEvent) => {
			if (event.defaultPrevented || isTypingTarget(event.target)) return
			if (editor.getEditingShapeId() || editor.menus.hasAnyOpenMenus()) return
			const action = reviewShortcutFor(event)
			// The handler says whether the key meant something here (a viewer's P does not).
			if (action && handler.current(action)) event.preventDefault()
		}
		window.addEventListener('keydown', onKeyDown)
		return () => window.removeEventListener('keydown', onKeyDown)
	}, [editor])
}
