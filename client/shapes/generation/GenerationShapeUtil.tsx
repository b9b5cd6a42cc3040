import { Rectangle2d, ShapeUtil } from 'tldraw'
import { generationNodeSize } from '../../../shared/layout'
import {
	GENERATION_SHAPE,
	type GenerationShape,
	generationShapeMigrations,
	generationShapeProps,
} from '../../../shared/shapes/generationShape'
import { GenerationNode } from './GenerationNode'

const RADIUS = 12

/**
 * A job's node. Props and migrations come from `shared/` so the client's store schema is the one
 * the server validates against. The server writes these shapes; people only move them.
 */
export class GenerationShapeUtil extends ShapeUtil<GenerationShape> {
	static override type = GENERATION_SHAPE
	static override props = generationShapeProps
	static override migrations = generationShapeMigrations

	getDefaultProps(): GenerationShape['props'] {
		return {
			...generationNodeSize(1),
			jobId: '',
			op: 'imagine',
			label: 'Imagine',
			prompt: '',
			status: 'queued',
			error: '',
			aspect: 1,
			candidates: [],
			slots: 4,
			kind: 'grid',
			committed: [],
		}
	}

	getGeometry(shape: GenerationShape) {
		return new Rectangle2d({ width: shape.props.w, height: shape.props.h, isFilled: true })
	}

	// The grid's geometry is shared with the server (arrows anchor on candidates): no resizing.
	override canResize() {
		return false
	}
	override hideResizeHandles() {
		return true
	}
	override hideRotateHandle() {
		return true
	}
	override canEdit() {
		return false
	}

	/** What a screen reader hears before "Generation node": the op and its prompt. */
	override getAriaDescriptor(shape: GenerationShape) {
		const { label, prompt } = shape.props
		return prompt ? `${label}: ${prompt}` : label
	}

	component(shape: GenerationShape) {
		return <GenerationNode shape={shape} />
	}

	getIndicatorPath(shape: GenerationShape) {
		const path = new Path2D()
		path.roundRect(0, 0, shape.props.w, shape.props.h, RADIUS)
		return path
	}
}
