import { beforeAll, describe, expect, it } from 'vitest'
import { type Box, candidateAnchor, generationNodeSize, STACK_GAP } from './layout'
import {
	boxGap,
	type PlacedNode,
	type PlacementScene,
	type Point,
	placeChild,
	placeRoot,
	segmentCrossesBox,
} from './placement'

/** Deterministic PRNG (mulberry32), so every failing seed can be replayed. */
function random(seed: number) {
	let a = seed >>> 0
	return () => {
		a = (a + 0x6d2b79f5) >>> 0
		let t = a
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

const SEEDS = 120
const ASPECTS = [1, 16 / 9, 9 / 16, 4 / 3, 3 / 4]

interface Edge {
	parent: string
	child: string
	from: Point
}

/** A board grown the way people grow one: prompts, then ops from random candidates. */
function growBoard(seed: number, ops: number, moves = 0) {
	const rand = random(seed)
	const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!
	const scene: PlacementScene = { nodes: [], others: [], arrows: [] }
	const edges: Edge[] = []
	const moved = new Set<string>()
	/** Children that had no spot nearer their parent than another tree (placeChild said so). */
	const hemmed = new Set<string>()
	let id = 0
	// People prompt where they look: a few view centres, each used again and again.
	const views = [0, 1, 2].map(() => ({
		x: Math.round((rand() - 0.5) * 6000),
		y: Math.round((rand() - 0.5) * 6000),
	}))
	const addRoot = () => {
		const size = generationNodeSize(pick(ASPECTS))
		const at = pick(views)
		const spot = placeRoot({ at, size, scene })
		const tree = `t${id}`
		scene.nodes.push({ id: `n${id++}`, tree, ...spot, ...size })
	}
	for (let i = 0, n = 1 + Math.floor(rand() * 4); i < n; i++) addRoot()
	for (let i = 0; i < ops; i++) {
		if (rand() < 0.08) {
			addRoot()
			continue
		}
		if (moves > 0 && rand() < moves) {
			// A person drags a node to some free spot; it has to stay there.
			const node = pick(scene.nodes)
			const to = { x: node.x + (rand() - 0.5) * 4000, y: node.y + (rand() - 0.5) * 4000 }
			const rest = scene.nodes.filter((n) => n !== node)
			if (rest.every((n) => boxGap({ ...node, ...to }, n) >= STACK_GAP)) {
				Object.assign(node, to)
				moved.add(node.id)
				scene.arrows = edges.map((e) => arrowOf(scene, e))
			}
			continue
		}
		const parent = pick(scene.nodes)
		const candidate = Math.floor(rand() * 4)
		const anchor = candidateAnchor(candidate, parent)
		const from = { x: parent.x + anchor.x * parent.w, y: parent.y + anchor.y * parent.h }
		const size = generationNodeSize(pick(ASPECTS))
		const before = scene.nodes.map((n) => ({ ...n }))
		const { near, ...spot } = placeChild({ parent, from, size, scene })
		expect(scene.nodes).toEqual(before)
		const child: PlacedNode = { id: `n${id++}`, tree: parent.tree, ...spot, ...size }
		if (!near) hemmed.add(child.id)
		else {
			// Where it lands, no other tree is as near to it as its parent.
			const toParent = boxGap(child, parent)
			for (const n of scene.nodes)
				if (n.tree !== child.tree)
					expect(boxGap(child, n), `seed ${seed}`).toBeGreaterThan(toParent)
		}
		scene.nodes.push(child)
		const edge = { parent: parent.id, child: child.id, from: candidateFraction(parent, from) }
		edges.push(edge)
		scene.arrows.push(arrowOf(scene, edge))
	}
	return { scene, edges, moved, hemmed }
}

/** Arrow starts are stored as fractions of the parent so they follow it when it moves. */
function candidateFraction(parent: Box, from: Point): Point {
	return { x: (from.x - parent.x) / parent.w, y: (from.y - parent.y) / parent.h }
}

function arrowOf(scene: PlacementScene, edge: Edge) {
	const byId = (id: string) => scene.nodes.find((n) => n.id === id)!
	const p = byId(edge.parent)
	const c = byId(edge.child)
	return {
		from: { x: p.x + edge.from.x * p.w, y: p.y + edge.from.y * p.h },
		to: { x: c.x, y: c.y + c.h / 2 },
	}
}

function overlaps(scene: PlacementScene): string[] {
	const found: string[] = []
	scene.nodes.forEach((a, i) => {
		for (const b of scene.nodes.slice(i + 1)) if (boxGap(a, b) === 0) found.push(`${a.id}×${b.id}`)
	})
	return found
}

describe('placement of the DAG', () => {
	/** Boards grown once (growBoard checks each placement as it goes) and shared by the tests. */
	let boards: ReturnType<typeof growBoard>[] = []
	beforeAll(() => {
		boards = Array.from({ length: SEEDS }, (_, i) => growBoard(i + 1, 30))
	}, 300_000)

	it('keeps every node clear of every other on hundreds of random boards', () => {
		for (const [seed, { scene }] of boards.entries()) {
			expect(overlaps(scene), `seed ${seed}`).toEqual([])
		}
	})

	it('puts each child nearer its parent than any node of another tree, but where hemmed in', () => {
		// growBoard asserts the rule for every child placeChild calls near.
		let children = 0
		let hemmedIn = 0
		for (const { edges, hemmed } of boards) {
			children += edges.length
			hemmedIn += hemmed.size
		}
		expect(children).toBeGreaterThan(SEEDS * 20)
		// Being hemmed in by another tree is the exception: on these dense boards (up to six
		// trees started from three view centres, 30 ops each) about one child in nine.
		expect(hemmedIn / children).toBeLessThan(0.15)
	})

	it('fans eight branches of one candidate out as one column beside it', () => {
		const size = generationNodeSize(1)
		const root: PlacedNode = { id: 'root', tree: 'a', x: 0, y: 0, ...size }
		const scene: PlacementScene = { nodes: [root], others: [], arrows: [] }
		const anchor = candidateAnchor(2, root)
		const from = { x: anchor.x * root.w, y: anchor.y * root.h }
		for (let i = 0; i < 8; i++) {
			const spot = placeChild({ parent: root, from, size, scene })
			expect(spot.near).toBe(true)
			scene.nodes.push({ id: `c${i}`, tree: 'a', ...spot, ...size })
			scene.arrows.push({ from, to: { x: spot.x, y: spot.y + size.h / 2 } })
		}
		const children = scene.nodes.slice(1).sort((a, b) => a.y - b.y)
		expect(new Set(children.map((c) => c.x))).toEqual(new Set([root.w + 140]))
		// One contiguous run, STACK_GAP apart, around the candidate's row.
		for (const [i, c] of children.slice(1).entries())
			expect(c.y - children[i]!.y - size.h).toBeLessThanOrEqual(STACK_GAP + 20)
		const first = scene.nodes[1]!
		expect(first.y + first.h / 2).toBe(from.y)
		expect(overlaps(scene)).toEqual([])
	})

	it('draws no arrow across a node it does not join', () => {
		for (const [seed, { scene, edges, hemmed }] of boards.entries()) {
			for (const e of edges) {
				if (hemmed.has(e.child)) continue
				const { from, to } = arrowOf(scene, e)
				const crossed = scene.nodes.filter(
					(n) => n.id !== e.parent && n.id !== e.child && segmentCrossesBox(from, to, n),
				)
				expect(
					crossed.map((n) => n.id),
					`seed ${seed} ${e.parent}→${e.child}`,
				).toEqual([])
			}
		}
	})

	it('never moves a node someone placed, and new nodes avoid where they put it', () => {
		let movedNodes = 0
		for (let seed = 1; seed <= 40; seed++) {
			// growBoard asserts after each placement that no existing node moved.
			const { scene, moved } = growBoard(seed, 40, 0.1)
			expect(overlaps(scene), `seed ${seed}`).toEqual([])
			movedNodes += moved.size
		}
		expect(movedNodes).toBeGreaterThan(20)
	}, 120_000)

	it('places the same board the same way every time', () => {
		expect(growBoard(7, 40).scene).toEqual(growBoard(7, 40).scene)
	})

	it('keeps a new tree clear of the trees already there', () => {
		const size = generationNodeSize(1)
		const scene: PlacementScene = {
			nodes: [{ id: 'a', tree: 'a', x: 0, y: 0, ...size }],
			others: [],
			arrows: [],
		}
		const spot = placeRoot({ at: { x: size.w / 2, y: size.h / 2 }, size, scene })
		expect(boxGap({ ...spot, ...size }, scene.nodes[0]!)).toBeGreaterThanOrEqual(220)
	})
})

describe('segmentCrossesBox', () => {
	const box = { x: 0, y: 0, w: 10, h: 10 }
	it('sees a segment through the box and misses one beside it', () => {
		expect(segmentCrossesBox({ x: -5, y: 5 }, { x: 15, y: 5 }, box)).toBe(true)
		expect(segmentCrossesBox({ x: -5, y: 15 }, { x: 15, y: 15 }, box)).toBe(false)
		expect(segmentCrossesBox({ x: -5, y: -5 }, { x: -1, y: 20 }, box)).toBe(false)
	})
})
