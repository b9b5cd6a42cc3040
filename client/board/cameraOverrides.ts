import type { TLUiOverrides } from 'tldraw'
import { frameBox } from './reveal'

/**
 * tldraw's zoom to fit (Shift+1) and zoom to selection (Shift+2), framed inside the UI's insets so
 * the prompt bar, the toolbar and the queue hide none of what they bring into view.
 */
export const cameraOverrides: TLUiOverrides = {
	actions(editor, actions) {
		const fit = actions['zoom-to-fit']
		if (fit)
			fit.onSelect = () => {
				const bounds = editor.getCurrentPageBounds()
				if (bounds) frameBox(editor, bounds)
			}
		const selection = actions['zoom-to-selection']
		if (selection)
			selection.onSelect = () => {
				const bounds = editor.getSelectionPageBounds()
				if (bounds) frameBox(editor, bounds)
			}
		return actions
	},
}
