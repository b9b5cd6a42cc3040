import { useEffect, useState } from 'react'
import type { Editor } from 'tldraw'
import { CHROME_SELECTOR, DEFAULT_INSETS, type Insets, measureInsets } from './insets'

const same = (a: Insets, b: Insets) =>
	a.top === b.top && a.right === b.right && a.bottom === b.bottom && a.left === b.left

/**
 * The canvas' insets (see `measureInsets`), kept current as the UI around it changes: the prompt
 * bar growing with its parameters, the queue opening, the window resizing.
 */
export function useInsets(editor: Editor): Insets {
	const [insets, setInsets] = useState(DEFAULT_INSETS)
	useEffect(() => {
		const container = editor.getContainer()
		const canvas = container.closest<HTMLElement>('.board-canvas') ?? container
		const measure = () => {
			const next = measureInsets(editor)
			setInsets((now) => (same(now, next) ? now : next))
		}
		const sizes = new ResizeObserver(measure)
		const watch = () => {
			sizes.disconnect()
			sizes.observe(canvas)
			for (const element of canvas.querySelectorAll(CHROME_SELECTOR)) sizes.observe(element)
			measure()
		}
		// Panels come and go (the queue, the presenter banner): watch the new set when they do.
		const panels = new MutationObserver(watch)
		panels.observe(canvas, { childList: true, subtree: true })
		watch()
		return () => {
			panels.disconnect()
			sizes.disconnect()
		}
	}, [editor])
	return insets
}
