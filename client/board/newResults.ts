import { type Atom, type Editor, react, type TLShapeId } from 'tldraw'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import { measureInsets, type Rect } from './insets'
import { bestSpot } from './overlaySpots'
import { ensureVisible, isComfortablyInView } from './reveal'

/** A result that landed where this person was not looking, oldest first. */
export interface NewResult {
	shapeId: TLShapeId
	jobId: string
}

type Status = GenerationShape['props']['status']

/**
 * Which nodes just became results: done now, and not done (or not there) before. A node that
 * arrives done (a collaborator's upload) is one too; one done before the board opened is not.
 */
export function landedResults(
	before: ReadonlyMap<string, Status>,
	after: Iterable<{ id: string; status: Status }>,
): string[] {
	const landed: string[] = []
	for (const { id, status } of after)
		if (status === 'done' && before.get(id) !== 'done') landed.push(id)
	return landed
}

/** How the cue reads: one result names who asked, several are counted. */
export function cueText(
	count: number,
	asker: { id: string; name: string } | null,
	selfId: string,
): string {
	if (count > 1) return `${count} new results`
	if (!asker) return 'New result'
	return asker.id === selfId ? 'Your new result' : `New result from ${asker.name}`
}

function statuses(editor: Editor): Map<string, Status> {
	const map = new Map<string, Status>()
	for (const shape of editor.getCurrentPageShapes())
		if (shape.type === GENERATION_SHAPE) map.set(shape.id, (shape as GenerationShape).props.status)
	return map
}

/**
 * Keeps `results` listing the results that land off screen (or unreadably small, or under the UI)
 * while this board is open, whoever asked for them; a result leaves the list once it has been
 * seen (it comes into view) or deleted. Returns the teardown.
 */
export function watchNewResults(editor: Editor, results: Atom<NewResult[]>): () => void {
	let known = statuses(editor)
	const unlisten = editor.store.listen(
		() => {
			const now = statuses(editor)
			const landed = landedResults(
				known,
				[...now].map(([id, status]) => ({ id, status })),
			)
			known = now
			if (landed.length === 0) return
			const insets = measureInsets(editor)
			const unseen = landed.flatMap((id) => {
				const shape = editor.getShape<GenerationShape>(id as TLShapeId)
				const box = editor.getShapePageBounds(id as TLShapeId)
				if (!shape || !box || isComfortablyInView(editor, box, insets)) return []
				return [{ shapeId: shape.id, jobId: shape.props.jobId }]
			})
			if (unseen.length > 0) results.update((list) => [...list, ...unseen])
		},
		{ scope: 'document' },
	)
	// Seen or gone: off the list. Runs as the camera moves, over a handful of entries at most.
	const stopPruning = react('prune seen results', () => {
		const list = results.get()
		if (list.length === 0) return
		editor.getCamera()
		const insets = measureInsets(editor)
		const left = list.filter((entry) => {
			const box = editor.getShapePageBounds(entry.shapeId)
			return box && !isComfortablyInView(editor, box, insets)
		})
		if (left.length !== list.length) results.set(left)
	})
	return () => {
		unlisten()
		stopPruning()
	}
}

/** Shows the newest unseen result at a readable zoom, clear of the UI; it leaves the list. */
export function showNewest(editor: Editor, results: Atom<NewResult[]>) {
	const list = results.get()
	const newest = list.at(-1)
	if (!newest) return
	results.set(list.slice(0, -1))
	ensureVisible(editor, [newest.shapeId])
}

/**
 * Where the cue goes: on the edge of the safe area (`safe`, viewport pixels), where the line from
 * its centre to `target` (the result's centre, viewport pixels) leaves it, so the cue points the
 * way to go; `angle` (radians, 0 = right) turns its arrow.
 */
export function cuePosition(
	safe: { x: number; y: number; w: number; h: number },
	target: { x: number; y: number },
	size: { w: number; h: number },
): { left: number; top: number; angle: number } {
	const cx = safe.x + safe.w / 2
	const cy = safe.y + safe.h / 2
	const dx = target.x - cx
	const dy = target.y - cy
	const halfW = Math.max(0, safe.w / 2 - size.w / 2)
	const halfH = Math.max(0, safe.h / 2 - size.h / 2)
	// The largest step along (dx, dy) that keeps the cue's centre inside the shrunk safe area.
	const scale = Math.min(
		dx === 0 ? Number.POSITIVE_INFINITY : halfW / Math.abs(dx),
		dy === 0 ? Number.POSITIVE_INFINITY : halfH / Math.abs(dy),
		1,
	)
	const x = cx + dx * (Number.isFinite(scale) ? scale : 0)
	const y = cy + dy * (Number.isFinite(scale) ? scale : 0)
	return { left: x - size.w / 2, top: y - size.h / 2, angle: Math.atan2(dy, dx) }
}

/**
 * {@link cuePosition}, slid along the edge it sits on to the nearest place that covers no node in
 * view (`nodes`, viewport pixels), its arrow turned to still point at the result.
 */
export function cueSpot(
	safe: Rect,
	target: { x: number; y: number },
	size: { w: number; h: number },
	nodes: Rect[],
): { left: number; top: number; angle: number } {
	const base = cuePosition(safe, target, size)
	const onSide =
		Math.abs(base.left - safe.x) < 1 || Math.abs(base.left + size.w - (safe.x + safe.w)) < 1
	const spots = [0, 1, -1, 2, -2, 3, -3, 4, -4].map((step) => {
		const shift = step * (onSide ? size.h * 1.5 : size.w / 2)
		const x = onSide ? base.left : base.left + shift
		const y = onSide ? base.top + shift : base.top
		return {
			x: Math.max(safe.x, Math.min(x, safe.x + safe.w - size.w)),
			y: Math.max(safe.y, Math.min(y, safe.y + safe.h - size.h)),
			...size,
		}
	})
	const best =
		spots[
			bestSpot(
				spots,
				safe,
				nodes.map((rect) => ({ rect, weight: 1 })),
			)
		]!
	const angle = Math.atan2(target.y - (best.y + size.h / 2), target.x - (best.x + size.w / 2))
	return { left: best.x, top: best.y, angle }
}
