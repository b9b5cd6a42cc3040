import type { TLArrowBinding, TLRecord, TLShape } from '@tldraw/tlschema'
import type { Box } from './layout'
import type { PlacedNode, PlacementScene } from './placement'
import { BOARD_PAGE_ID } from './records'
import { GENERATION_SHAPE } from './shapes/generationShape'
import { PROMPT_SHAPE } from './shapes/promptShape'

function boxOf(shape: TLShape): Box | null {
	const props = shape.props as { w?: unknown; h?: unknown }
	if (typeof props.w !== 'number' || typeof props.h !== 'number') return null
	return { x: shape.x, y: shape.y, w: props.w, h: props.h }
}

/**
 * The board as placement sees it: generation nodes and prompt cards grouped into trees (shapes
 * joined by arrows, whoever drew them), and every other sized shape as a plain obstacle.
 */
export function placementScene(records: TLRecord[]): PlacementScene {
	const parent = new Map<string, string>()
	const find = (id: string): string => {
		let root = id
		while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!
		parent.set(id, root)
		return root
	}
	const union = (a: string, b: string) => {
		const ra = find(a)
		const rb = find(b)
		// The smaller id becomes the tree's name, so it does not depend on record order.
		if (ra < rb) parent.set(rb, ra)
		else if (rb < ra) parent.set(ra, rb)
	}
	const ends = new Map<string, { start?: TLArrowBinding; end?: TLArrowBinding }>()
	for (const r of records) {
		if (r.typeName !== 'binding' || r.type !== 'arrow') continue
		const binding = r as TLArrowBinding
		ends.set(r.fromId, { ...ends.get(r.fromId), [binding.props.terminal]: binding })
	}
	for (const { start, end } of ends.values()) if (start && end) union(start.toId, end.toId)

	const nodes: PlacedNode[] = []
	const others: Box[] = []
	for (const r of records) {
		if (r.typeName !== 'shape' || r.parentId !== BOARD_PAGE_ID) continue
		const box = boxOf(r)
		if (!box) continue
		if (r.type === GENERATION_SHAPE || r.type === PROMPT_SHAPE)
			nodes.push({ id: r.id, tree: find(r.id), ...box })
		else others.push(box)
	}
	const boxes = new Map(nodes.map((n) => [n.id, n]))
	const anchorPoint = (b: TLArrowBinding) => {
		const box = boxes.get(b.toId)
		if (!box) return null
		const a = b.props.normalizedAnchor
		return { x: box.x + a.x * box.w, y: box.y + a.y * box.h }
	}
	const arrows: PlacementScene['arrows'] = []
	for (const { start, end } of ends.values()) {
		const from = start && anchorPoint(start)
		const to = end && anchorPoint(end)
		if (from && to) arrows.push({ from, to })
	}
	return { nodes, others, arrows }
}
