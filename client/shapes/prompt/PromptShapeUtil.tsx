import { Rectangle2d, ShapeUtil } from 'tldraw'
import { PROMPT_CARD_SIZE } from '../../../shared/layout'
import {
	PROMPT_SHAPE,
	type PromptShape,
	promptShapeMigrations,
	promptShapeProps,
} from '../../../shared/shapes/promptShape'
import { PromptCard } from './PromptCard'

const RADIUS = 12

/** The card a prompt leaves on the canvas. Schema from `shared/`, like the generation node. */
export class PromptShapeUtil extends ShapeUtil<PromptShape> {
	static override type = PROMPT_SHAPE
	static override props = promptShapeProps
	static override migrations = promptShapeMigrations

	getDefaultProps(): PromptShape['props'] {
		return { ...PROMPT_CARD_SIZE, prompt: '', aspectRatio: '1:1', author: '', jobId: '' }
	}

	getGeometry(shape: PromptShape) {
		return new Rectangle2d({ width: shape.props.w, height: shape.props.h, isFilled: true })
	}

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

	override getAriaDescriptor(shape: PromptShape) {
		return shape.props.prompt
	}

	component(shape: PromptShape) {
		return <PromptCard shape={shape} />
	}

	getIndicatorPath(shape: PromptShape) {
		const path = new Path2D()
		path.roundRect(0, 0, shape.props.w, shape.props.h, RADIUS)
		return path
	}
}
