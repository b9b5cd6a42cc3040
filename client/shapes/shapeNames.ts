import type { TLUiOverrides } from 'tldraw'
import { GENERATION_SHAPE } from '../../shared/shapes/generationShape'
import { PROMPT_SHAPE } from '../../shared/shapes/promptShape'

/**
 * What people (and screen readers) call Arbor's shapes. tldraw names a selected shape by the
 * translation `tool.<type>`; without one, its live region read out "tool.arbor-generation".
 */
export const SHAPE_NAMES: Record<string, string> = {
	[GENERATION_SHAPE]: 'Generation node',
	[PROMPT_SHAPE]: 'Prompt card',
}

/** `<Tldraw overrides>`: Arbor's shape names in tldraw's translations. */
export const arborUiOverrides: TLUiOverrides = {
	translations: {
		en: Object.fromEntries(
			Object.entries(SHAPE_NAMES).map(([type, name]) => [`tool.${type}`, name]),
		),
	},
}
