import { pathToFileURL } from 'node:url'
import { type PlacedNode, placeChild, placeRoot } from '../shared/placement'

// Where the server puts a new node runs inside the request that creates the job, on the server's
// one event loop: every collaborator waits while it thinks. It tries thousands of spots, each
// asking "is anything near here?"; the scene's grid index keeps that question local, so a node
// on a 2,000-node board should cost about what it costs on a small one.

const RUNS = 20

/** `n` nodes in trees of eight, laid out on a square lattice like a busy board. */
function sceneOf(n: number) {
	const side = Math.ceil(Math.sqrt(n))
	const nodes: PlacedNode[] = Array.from({ length: n }, (_, i) => ({
		id: `n${i}`,
		tree: `t${Math.floor(i / 8)}`,
		x: (i % side) * 700,
		y: Math.floor(i / side) * 700,
		w: 520,
		h: 560,
	}))
	return { side, scene: { nodes, others: [], arrows: [] } }
}

function msPerPlacement(n: number): { root: number; child: number } {
	const { side, scene } = sceneOf(n)
	const centre = { x: (side * 700) / 2, y: (side * 700) / 2 }
	const parent = scene.nodes[Math.floor(n / 2)]
	const from = { x: parent.x + 390, y: parent.y + 420 }
	const time = (place: () => unknown) => {
		place() // warm-up
		const t0 = performance.now()
		for (let i = 0; i < RUNS; i++) place()
		return (performance.now() - t0) / RUNS
	}
	return {
		root: time(() => placeRoot({ at: centre, size: { w: 900, h: 600 }, scene })),
		child: time(() => placeChild({ parent, from, size: { w: 520, h: 560 }, scene })),
	}
}

/** `npm run bench`, placement: ms per new node against a 12-node board in the same run. */
export async function benchPlacement(): Promise<void> {
	console.log('\nplacement of a new node (server side, per job): ms, and × a 12-node board')
	const base = msPerPlacement(12)
	for (const n of [12, 200, 2000]) {
		const { root, child } = n === 12 ? base : msPerPlacement(n)
		console.log(
			`  ${String(n).padStart(5)} nodes  new tree ${root.toFixed(1)} ms (${(root / base.root).toFixed(1)}×)` +
				`  child ${child.toFixed(1)} ms (${(child / base.child).toFixed(1)}×)`,
		)
	}
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await benchPlacement()
