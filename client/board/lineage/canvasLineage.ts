import { type Computed, computed, type Editor, type TLArrowBinding, type TLShapeId } from 'tldraw'
import { jobShapeIds } from '../../../shared/records'
import { GENERATION_SHAPE } from '../../../shared/shapes/generationShape'

/** The little of the editor the walk reads, so it can run (and be tested) on plain records. */
export interface LineageSource {
	getShape(id: TLShapeId): { type: string; props: object; meta: object } | undefined
	/** The arrow's bindings: `terminal: 'start'` names the shape it leaves from. */
	arrowBindings(arrowId: TLShapeId): Array<{ toId: TLShapeId; props: { terminal: string } }>
}

/** A node's ancestor path as the canvas draws it: the shapes and the arrows between them. */
export interface CanvasLineage {
	/** The node itself, then each ancestor (the parent's node … the root prompt card). */
	shapes: TLShapeId[]
	/** The arrows joining them, in the same order (the arrow into `shapes[i]` is `arrows[i]`). */
	arrows: TLShapeId[]
	/** The candidates the path leaves from (where each branch's arrow starts). */
	imageIds: string[]
}

export const NO_LINEAGE: CanvasLineage = { shapes: [], arrows: [], imageIds: [] }

/**
 * Walks from a generation node back to its root through the arrows the server wrote for each job
 * (`jobShapeIds(jobId).arrow`, whose start binding is on the parent). Arrows people drew
 * themselves mean nothing here and are never followed. Stops at a prompt card, a deleted parent or
 * (defensively) a cycle.
 */
export function canvasLineage(source: LineageSource, nodeId: TLShapeId): CanvasLineage {
	const shapes: TLShapeId[] = [nodeId]
	const arrows: TLShapeId[] = []
	const imageIds: string[] = []
	const seen = new Set<TLShapeId>(shapes)
	let current = source.getShape(nodeId)
	while (current?.type === GENERATION_SHAPE) {
		const jobId = (current.props as { jobId?: unknown }).jobId
		if (typeof jobId !== 'string' || !jobId) break
		const arrowId = jobShapeIds(jobId).arrow
		const arrow = source.getShape(arrowId)
		const start = arrow && source.arrowBindings(arrowId).find((b) => b.props.terminal === 'start')
		if (!arrow || !start || seen.has(start.toId) || !source.getShape(start.toId)) break
		seen.add(start.toId)
		arrows.push(arrowId)
		shapes.push(start.toId)
		const parentImageId = (arrow.meta as { parentImageId?: unknown }).parentImageId
		if (typeof parentImageId === 'string') imageIds.push(parentImageId)
		current = source.getShape(start.toId)
	}
	return { shapes, arrows, imageIds }
}

export function editorLineageSource(editor: Editor): LineageSource {
	return {
		getShape: (id) => editor.getShape(id),
		arrowBindings: (id) => editor.getBindingsFromShape<TLArrowBinding>(id, 'arrow'),
	}
}

const selectedLineages = new WeakMap<Editor, Computed<CanvasLineage>>()

/**
 * The ancestor path of the one selected generation node, kept current as the selection and the
 * doc change (a reactive value, one per editor). Empty when anything else is selected.
 */
export function selectedLineage(editor: Editor): Computed<CanvasLineage> {
	let lineage = selectedLineages.get(editor)
	if (!lineage) {
		const source = editorLineageSource(editor)
		lineage = computed('selected lineage', () => {
			const selected = editor.getSelectedShapeIds()
			if (selected.length !== 1) return NO_LINEAGE
			if (editor.getShape(selected[0])?.type !== GENERATION_SHAPE) return NO_LINEAGE
			const path = canvasLineage(source, selected[0])
			return path.arrows.length === 0 ? NO_LINEAGE : path
		})
		selectedLineages.set(editor, lineage)
	}
	return lineage
}
