import { GenerationShapeUtil } from './generation/GenerationShapeUtil'
import { PromptShapeUtil } from './prompt/PromptShapeUtil'

/** Arbor's shape utils, for the store (schema) and `<Tldraw shapeUtils>` (rendering). */
export const arborShapeUtils = [GenerationShapeUtil, PromptShapeUtil] as const
