import { createShapePropsMigrationSequence, type RecordProps, type TLShape } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

export const PROMPT_SHAPE = 'arbor-prompt'

/** The card a prompt leaves on the canvas: the root of a lineage tree. */
export interface PromptShapeProps {
	w: number
	h: number
	prompt: string
	/** "1:1", "3:2", … as asked. */
	aspectRatio: string
	author: string
	jobId: string
}

declare module '@tldraw/tlschema' {
	interface TLGlobalShapePropsMap {
		[PROMPT_SHAPE]: PromptShapeProps
	}
}

export type PromptShape = TLShape<typeof PROMPT_SHAPE>

export const promptShapeProps: RecordProps<PromptShape> = {
	w: T.nonZeroNumber,
	h: T.nonZeroNumber,
	prompt: T.string,
	aspectRatio: T.string,
	author: T.string,
	jobId: T.string,
}

export const promptShapeMigrations = createShapePropsMigrationSequence({ sequence: [] })
