import { type Computed, computed, type Editor } from 'tldraw'
import { candidateRect, type NodeSlots } from '../../../../shared/layout'
import { GENERATION_SHAPE, type GenerationShape } from '../../../../shared/shapes/generationShape'
import type { OverviewNode } from './overviewGeometry'

export interface OverviewNodes {
	nodes: OverviewNode[]
	/** The narrowest cell among them (page units); Infinity without any. */
	minCellW: number
	/** Sum of their areas, page units². */
	area: number
}

const byEditor = new WeakMap<Editor, Computed<OverviewNodes>>()

/** The board's finished nodes as the overview draws them, recomputed when shapes change. */
export function overviewNodesOf(editor: Editor): Computed<OverviewNodes> {
	const known = byEditor.get(editor)
	if (known) return known
	const nodes = computed('overview nodes', () => {
		const found: OverviewNode[] = []
		let minCellW = Number.POSITIVE_INFINITY
		let area = 0
		for (const shape of editor.getCurrentPageShapesSorted()) {
			if (shape.type !== GENERATION_SHAPE) continue
			const node = toOverviewNode(shape as GenerationShape, editor)
			if (!node) continue
			found.push(node)
			minCellW = Math.min(minCellW, candidateRect(0, node, node.slots).w)
			area += node.w * node.h
		}
		return { nodes: found, minCellW, area }
	})
	byEditor.set(editor, nodes)
	return nodes
}

function toOverviewNode(shape: GenerationShape, editor: Editor): OverviewNode | null {
	const { status, candidates, w, h, kind } = shape.props
	if (status !== 'done' || candidates.length === 0) return null
	const slots: NodeSlots = shape.props.slots === 1 ? 1 : 4
	const at = editor.getShapePageTransform(shape.id).point()
	return {
		id: shape.id,
		x: at.x,
		y: at.y,
		w,
		h,
		slots,
		imageIds: candidates.slice(0, slots).map((c) => c.imageId),
		final: kind === 'final',
	}
}
