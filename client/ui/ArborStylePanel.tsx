import { DefaultStylePanel, useEditor, useValue } from 'tldraw'
import { GENERATION_SHAPE } from '../../shared/shapes/generationShape'
import { PROMPT_SHAPE } from '../../shared/shapes/promptShape'

const ARBOR_SHAPES: string[] = [GENERATION_SHAPE, PROMPT_SHAPE]

/**
 * tldraw's style panel, shown only when it can style something: while drawing, or when the
 * selection holds tldraw's own shapes. Arbor's nodes have no styles, and an empty panel floating
 * over the board is noise.
 */
export function ArborStylePanel() {
	const editor = useEditor()
	const isRelevant = useValue('style panel relevant', () => {
		if (editor.getIsReadonly()) return false
		if (!editor.isIn('select')) return true
		return editor.getSelectedShapes().some((shape) => !ARBOR_SHAPES.includes(shape.type))
	}, [editor])
	return isRelevant ? <DefaultStylePanel /> : null
}
