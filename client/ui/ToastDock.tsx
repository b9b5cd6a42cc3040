import { useEffect } from 'react'
import type { Editor } from 'tldraw'
import { placeToasts, toastPlacer } from './toastDock'

/** While this board is open, toasts go where they cover the fewest of its nodes. */
export function ToastDock({ editor }: { editor: Editor }) {
	useEffect(() => {
		toastPlacer.set((size) => placeToasts(editor, size))
		return () => {
			toastPlacer.set(null)
		}
	}, [editor])
	return null
}
