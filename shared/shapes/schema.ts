import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas } from '@tldraw/tlschema'
import {
	GENERATION_SHAPE,
	generationShapeMigrations,
	generationShapeProps,
} from './generationShape'
import { PROMPT_SHAPE, promptShapeMigrations, promptShapeProps } from './promptShape'

/** Arbor's own shapes, as both the client's ShapeUtils and the server's validator see them. */
export const arborShapeSchemas = {
	[GENERATION_SHAPE]: { props: generationShapeProps, migrations: generationShapeMigrations },
	[PROMPT_SHAPE]: { props: promptShapeProps, migrations: promptShapeMigrations },
}

/** The full store schema of a board: tldraw's defaults plus Arbor's shapes. */
export function createArborSchema() {
	return createTLSchema({
		shapes: { ...defaultShapeSchemas, ...arborShapeSchemas },
		bindings: defaultBindingSchemas,
	})
}
