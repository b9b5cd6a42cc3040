/**
 * Where the server puts a new node on a board: the derivation DAG grows to the right, a node's
 * children fan out as one compact column beside the candidate they came from, and no tree grows
 * into another. Placement is incremental: it picks a spot for the new node only and never moves
 * what is already on the board (people's moves stand), so a subtree that has no room next to its
 * parent gets the nearest spot that has room.
 *
 * Whole-graph layouts (d3-hierarchy's tidy tree, dagre, elkjs) were weighed and left out: each
 * lays out every node afresh, so adding a child would move nodes people placed or look at.
 */
import { BoxGrid, segmentBounds } from './boxGrid'
import { type Box, BRANCH_GAP, STACK_GAP } from './layout'

/** Room kept between a node and any node of another tree; more than BRANCH_GAP so a node is
 * always nearer its parent than any other tree. */
export const TREE_GAP = 220
const STEP_Y = 20
const MAX_ROWS = 160
const MAX_COLUMNS = 8
/** Width kept free to the right of a new tree's root for its first branches. */
const ROOT_LANE = 480
/** Room a new tree keeps from the others, so each has space to fan out before they meet. */
const ROOT_ROOM = TREE_GAP * 3
/** Spots still tried for one nearer the parent after a roomy one turned up. */
const LOOK_PAST_ROOMY = 300

export interface PlacedNode extends Box {
	id: string
	/** Which tree (connected component of the derivation graph) the node belongs to. */
	tree: string
}

export interface PlacementScene {
	/** Nodes of every tree on the board (generation nodes and prompt cards). */
	nodes: PlacedNode[]
	/** Anything else with a size (notes, frames, images people dropped): kept clear, no more. */
	others: Box[]
	/** Arrows between bound shapes, anchor to anchor: a new node never sits on one. */
	arrows: { from: Point; to: Point }[]
}

type Size = { w: number; h: number }
export type Point = { x: number; y: number }
type Arrow = PlacementScene['arrows'][number]

/** A scene bucketed for the nearby-box questions placement asks of every spot it tries. */
interface SceneIndex {
	scene: PlacementScene
	nodes: BoxGrid<PlacedNode>
	others: BoxGrid<Box>
	arrows: BoxGrid<Arrow>
}

const identity = (box: Box) => box

function indexScene(scene: PlacementScene): SceneIndex {
	return {
		scene,
		nodes: new BoxGrid(scene.nodes, identity),
		others: new BoxGrid(scene.others, identity),
		arrows: new BoxGrid(scene.arrows, (a) => segmentBounds(a.from, a.to)),
	}
}

/** Distance between the nearest edges of two boxes (0 when they touch or overlap). */
export function boxGap(a: Box, b: Box): number {
	const dx = Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w))
	const dy = Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h))
	return Math.hypot(dx, dy)
}

/** Whether the segment p→q passes through the inside of `box` (Liang–Barsky clipping). */
export function segmentCrossesBox(p: Point, q: Point, box: Box): boolean {
	const dx = q.x - p.x
	const dy = q.y - p.y
	let t0 = 0
	let t1 = 1
	const edges: [number, number][] = [
		[-dx, p.x - box.x],
		[dx, box.x + box.w - p.x],
		[-dy, p.y - box.y],
		[dy, box.y + box.h - p.y],
	]
	for (const [pe, qe] of edges) {
		if (pe === 0) {
			if (qe <= 0) return false
			continue
		}
		const t = qe / pe
		if (pe < 0) t0 = Math.max(t0, t)
		else t1 = Math.min(t1, t)
		if (t0 >= t1) return false
	}
	return true
}

const offsetCache = new Map<string, { dx: number; dy: number }[]>()

/** Offsets in order of preference: nearest first, a column over costs more than a row. */
function offsetsByCost(columnStep: number, allowLeft: boolean): { dx: number; dy: number }[] {
	const key = `${columnStep}:${allowLeft}`
	const cached = offsetCache.get(key)
	if (cached) return cached
	const offsets: { dx: number; dy: number; cost: number }[] = []
	for (let c = allowLeft ? -MAX_COLUMNS : 0; c <= MAX_COLUMNS; c++) {
		for (let r = -MAX_ROWS; r <= MAX_ROWS; r++) {
			const dx = c * columnStep
			const dy = r * STEP_Y
			// Down before up on a tie, so siblings stack in reading order.
			offsets.push({ dx, dy, cost: Math.abs(dx) * 3 + Math.abs(dy) + (dy < 0 ? 0.5 : 0) })
		}
	}
	offsets.sort((a, b) => a.cost - b.cost)
	if (offsetCache.size > 32) offsetCache.clear()
	offsetCache.set(key, offsets)
	return offsets
}

function* spotsAround(start: Point, columnStep: number, allowLeft: boolean): Generator<Point> {
	for (const o of offsetsByCost(columnStep, allowLeft))
		yield { x: start.x + o.dx, y: start.y + o.dy }
}

/** A spot past everything on the board, in `x`'s column: always free, the last resort. */
function belowEverything(scene: PlacementScene, x: number): Point {
	const bottoms = [...scene.nodes, ...scene.others].map((b) => b.y + b.h)
	return { x, y: Math.max(0, ...bottoms) + TREE_GAP }
}

function clearOfOthers(box: Box, index: SceneIndex, ownTree: string | null): boolean {
	const tooNear = (n: PlacedNode) => boxGap(box, n) < (n.tree === ownTree ? STACK_GAP : TREE_GAP)
	if (index.nodes.some(box, TREE_GAP, tooNear)) return false
	if (index.others.some(box, STACK_GAP, (o) => boxGap(box, o) < STACK_GAP)) return false
	const margin = { x: box.x - STACK_GAP / 2, y: box.y - STACK_GAP / 2 }
	const padded = { ...margin, w: box.w + STACK_GAP, h: box.h + STACK_GAP }
	return !index.arrows.some(padded, 0, (a) => segmentCrossesBox(a.from, a.to, padded))
}

/**
 * The spot for a child of `parent`, whose arrow leaves from `from` (the exact candidate's centre,
 * or the parent's edge for a whole-grid branch). First choice: the column right of the parent,
 * centred on the candidate; then the nearest free spot in that column (down before up), then
 * columns further right. A spot qualifies when it keeps STACK_GAP from its own tree and TREE_GAP
 * from any other, its arrow crosses no other node, and no other tree lies nearer than the parent.
 * When another tree hems the parent in so that last rule cannot hold, the nearest spot that meets
 * the others wins (`near: false`): there is room there, and the arrow says where it came from.
 */
export function placeChild(options: {
	parent: PlacedNode
	from: Point
	size: Size
	scene: PlacementScene
}): Point & { near: boolean } {
	const { parent, from, size, scene } = options
	const index = indexScene(scene)
	const start = { x: parent.x + parent.w + BRANCH_GAP, y: from.y - size.h / 2 }
	let roomy: Point | null = null
	let lookedPastRoomy = 0
	for (const spot of spotsAround(start, BRANCH_GAP, false)) {
		if (roomy && ++lookedPastRoomy > LOOK_PAST_ROOMY) break
		const box = { ...spot, ...size }
		if (!clearOfOthers(box, index, parent.tree)) continue
		const end = { x: box.x, y: box.y + box.h / 2 }
		const path = segmentBounds(from, end)
		const crosses = (n: Box) => segmentCrossesBox(from, end, n)
		if (index.nodes.some(path, 0, (n) => n.id !== parent.id && crosses(n))) continue
		if (index.others.some(path, 0, crosses)) continue
		const toParent = boxGap(box, parent)
		const nearer = (n: PlacedNode) => n.tree !== parent.tree && boxGap(box, n) <= toParent
		if (!index.nodes.some(box, toParent, nearer)) return { ...spot, near: true }
		roomy ??= spot
	}
	return { ...(roomy ?? belowEverything(scene, start.x)), near: false }
}

/**
 * The spot for a new tree (a prompt card and its node, `size` being the pair's footprint), as near
 * `at` (the asker's view centre) as keeps TREE_GAP from every other tree and leaves the lane to its
 * right, where its first branches will go, clear; nor does it sit in another tree's lane.
 */
export function placeRoot(options: { at: Point; size: Size; scene: PlacementScene }): Point {
	const { at, size, scene } = options
	const start = { x: at.x - size.w / 2, y: at.y - size.h / 2 }
	const lane = (b: Box) => ({ ...b, w: b.w + BRANCH_GAP + ROOT_LANE })
	const index = indexScene(scene)
	const lanes = new BoxGrid(scene.nodes.map(lane), identity)
	for (const spot of spotsAround(start, size.w / 4, true)) {
		const box = { ...spot, ...size }
		if (!clearOfOthers(box, index, null)) continue
		const ownLane = lane(box)
		if (index.nodes.some(ownLane, ROOT_ROOM, (n) => boxGap(ownLane, n) < ROOT_ROOM)) continue
		if (!lanes.some(box, ROOT_ROOM, (l) => boxGap(box, l) < ROOT_ROOM)) return spot
	}
	return belowEverything(scene, start.x)
}
