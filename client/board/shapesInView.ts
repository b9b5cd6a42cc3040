import { type Atom, atom, type Editor, react, type TLShapeId, unsafe__withoutCapture } from 'tldraw'

/** One flag per shape asked about, per editor; kept up to date by one reactor. */
const flagsByEditor = new WeakMap<Editor, Map<TLShapeId, Atom<boolean>>>()

function flagsOf(editor: Editor): Map<TLShapeId, Atom<boolean>> {
	const known = flagsByEditor.get(editor)
	if (known) return known
	const flags = new Map<TLShapeId, Atom<boolean>>()
	let previous: ReadonlySet<TLShapeId> | null = null
	const stop = react('shapes in view', () => {
		const hidden = editor.getNotVisibleShapes()
		// Only the shapes that crossed the viewport's edge since last time change their flag.
		if (previous) {
			for (const id of hidden) if (!previous.has(id)) flags.get(id)?.set(false)
			for (const id of previous) if (!hidden.has(id)) flags.get(id)?.set(true)
		}
		previous = hidden
	})
	editor.disposables.add(stop)
	flagsByEditor.set(editor, flags)
	return flags
}

/**
 * Whether the shape intersects the viewport, as a reactive read that changes only when this shape
 * crosses the viewport's edge — what tldraw's culling uses (selection aside: a selected shape far
 * away is not in view). Read per shape where a shared `editor.getNotVisibleShapes()` would re-run
 * every node's computation on every frame of a pan.
 *
 * Why: a node off screen keeps its React tree (tldraw only hides it), and each of its `<img
 * loading="lazy">` waits unloaded in Chromium's lazy-load IntersectionObserver, whose intersections
 * are recomputed on every frame the canvas moves. A 2,000-node board at zoom 0.25 kept ~7,700 of
 * them waiting: ~3 ms of every frame of a pan (0.87× an empty board's frame rate; 1.0× without).
 */
export function isShapeInView(editor: Editor, id: TLShapeId): boolean {
	const flags = flagsOf(editor)
	let flag = flags.get(id)
	if (!flag) {
		// Read without capture: the caller must depend on this shape's flag only.
		const hidden = unsafe__withoutCapture(() => editor.getNotVisibleShapes())
		flag = atom(`in view: ${id}`, !hidden.has(id))
		flags.set(id, flag)
	}
	return flag.get()
}
