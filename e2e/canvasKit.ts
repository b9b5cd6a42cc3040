import type { TLArrowBinding, TLRecord, TLShape } from '@tldraw/tlschema'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { type Box, candidateRect } from '../shared/layout'
import { segmentCrossesBox } from '../shared/placement'
import { GENERATION_SHAPE } from '../shared/shapes/generationShape'
import { PROMPT_SHAPE } from '../shared/shapes/promptShape'

// Geometry for the canvas layout browser test: page boxes and arrows from the server's doc,
// screen rects and the camera from the DOM (what the person sees).

export interface ScreenRect {
	x: number
	y: number
	w: number
	h: number
}

/** The camera as tldraw draws it: `.tl-html-layer` carries `scale(z) translate(x, y)`. */
export async function cameraOf(page: Page): Promise<{ x: number; y: number; z: number }> {
	const transform = await page.evaluate(
		() => document.querySelector<HTMLElement>('.tl-html-layer')?.style.transform ?? '',
	)
	const numbers = [...transform.matchAll(/-?[\d.]+(?:e-?\d+)?/g)].map((m) => Number(m[0]))
	const [z, x, y] = numbers
	if (z === undefined || x === undefined || y === undefined)
		throw new Error(`no camera in "${transform}"`)
	return { x, y, z }
}

/** Screen rects of what floats over the canvas and may hide a node, by name. */
export async function overlayRects(page: Page): Promise<Record<string, ScreenRect>> {
	return page.evaluate(() => {
		const found: Record<string, { x: number; y: number; w: number; h: number }> = {}
		const named: [string, string][] = [
			['prompt bar', '[data-testid="prompt-bar"]'],
			['steering bar', '[data-testid="action-bar"]'],
			['queue', '[data-testid="queue-panel"]'],
			['presenter banner', '[data-testid="presenter-banner"]'],
			['new result cue', '[data-testid="new-result-cue"]'],
			['toasts', '[data-testid="toast"]'],
			['upscale menu', '[data-testid="upscale-menu"]'],
			['tldraw toolbar', '.tlui-main-toolbar__inner'],
			['tldraw menu', '.tlui-menu-zone'],
			['tldraw style panel', '.tlui-style-panel__wrapper'],
			['tldraw navigation', '.tlui-navigation-panel'],
		]
		for (const [name, selector] of named) {
			const el = document.querySelector(selector)
			if (!el) continue
			const r = el.getBoundingClientRect()
			if (r.width > 0 && r.height > 0) found[name] = { x: r.x, y: r.y, w: r.width, h: r.height }
		}
		return found
	})
}

export async function canvasRect(page: Page): Promise<ScreenRect> {
	const box = await page.getByTestId('board-canvas').boundingBox()
	if (!box) throw new Error('no canvas')
	return { x: box.x, y: box.y, w: box.width, h: box.height }
}

/** Screen rect of a job's node; null while tldraw does not draw it (culled off screen). */
export async function nodeRect(page: Page, jobId: string): Promise<ScreenRect | null> {
	const node = page.locator(`[data-testid="generation-node"][data-job-id="${jobId}"]`)
	if ((await node.count()) === 0) return null
	const box = await node.boundingBox()
	return box && { x: box.x, y: box.y, w: box.width, h: box.height }
}

export function intersects(a: ScreenRect, b: ScreenRect): boolean {
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

export function inside(inner: ScreenRect, outer: ScreenRect): boolean {
	return (
		inner.x >= outer.x &&
		inner.y >= outer.y &&
		inner.x + inner.w <= outer.x + outer.w &&
		inner.y + inner.h <= outer.y + outer.h
	)
}

/**
 * Why a job's node is not shown readably to this person (empty when it is): outside the canvas,
 * under an overlay, or drawn at a zoom below 0.5.
 */
export async function visibilityProblems(page: Page, jobId: string): Promise<string[]> {
	const [node, canvas, overlays, camera] = await Promise.all([
		nodeRect(page, jobId),
		canvasRect(page),
		overlayRects(page),
		cameraOf(page),
	])
	const problems: string[] = []
	if (!node) return ['not drawn']
	if (camera.z < 0.5 - 1e-6) problems.push(`zoom ${camera.z.toFixed(2)}`)
	if (!inside(node, canvas)) problems.push('outside the canvas')
	for (const [name, rect] of Object.entries(overlays))
		if (intersects(node, rect)) problems.push(`under the ${name}`)
	return problems
}

export interface DocNode extends Box {
	id: string
	kind: 'node' | 'card'
	jobId: string
}

export interface DocArrow {
	id: string
	start: { toId: string; anchor: { x: number; y: number }; exact: boolean }
	end: { toId: string; anchor: { x: number; y: number } }
	candidateIndex: number | null
}

/** The nodes, prompt cards and arrows of a board as the server's doc holds them. */
export function docLayout(records: TLRecord[]): { nodes: DocNode[]; arrows: DocArrow[] } {
	const nodes: DocNode[] = []
	const bindings = new Map<string, { start?: TLArrowBinding; end?: TLArrowBinding }>()
	const arrowShapes: TLShape[] = []
	for (const r of records) {
		if (r.typeName === 'binding' && r.type === 'arrow') {
			const b = r as TLArrowBinding
			bindings.set(b.fromId, { ...bindings.get(b.fromId), [b.props.terminal]: b })
		}
		if (r.typeName !== 'shape') continue
		if (r.type === 'arrow') arrowShapes.push(r)
		if (r.type !== GENERATION_SHAPE && r.type !== PROMPT_SHAPE) continue
		const props = r.props as { w: number; h: number; jobId: string }
		nodes.push({
			id: r.id,
			kind: r.type === PROMPT_SHAPE ? 'card' : 'node',
			jobId: props.jobId,
			x: r.x,
			y: r.y,
			w: props.w,
			h: props.h,
		})
	}
	const arrows: DocArrow[] = []
	for (const shape of arrowShapes) {
		const { start, end } = bindings.get(shape.id) ?? {}
		if (!start || !end) continue
		const index = (shape.meta as { candidateIndex?: unknown }).candidateIndex
		arrows.push({
			id: shape.id,
			start: {
				toId: start.toId,
				anchor: start.props.normalizedAnchor,
				exact: start.props.isExact,
			},
			end: { toId: end.toId, anchor: end.props.normalizedAnchor },
			candidateIndex: typeof index === 'number' ? index : null,
		})
	}
	return { nodes, arrows }
}

/** Pairs of nodes whose page boxes overlap. */
export function overlappingPairs(nodes: DocNode[]): [string, string][] {
	const pairs: [string, string][] = []
	for (let i = 0; i < nodes.length; i++)
		for (let j = i + 1; j < nodes.length; j++) {
			const a = nodes[i]!
			const b = nodes[j]!
			if (intersects(a, b)) pairs.push([a.id, b.id])
		}
	return pairs
}

const pointIn = (box: Box, p: { x: number; y: number }) =>
	p.x >= box.x && p.x <= box.x + box.w && p.y >= box.y && p.y <= box.y + box.h

/**
 * What is wrong with each arrow (empty when nothing): a branch's start must be exact and inside
 * its candidate's cell; the straight line it draws (bend 0) may cross only the two nodes it binds.
 */
export function arrowProblems(layout: { nodes: DocNode[]; arrows: DocArrow[] }): string[] {
	const byId = new Map(layout.nodes.map((n) => [n.id, n]))
	const problems: string[] = []
	for (const arrow of layout.arrows) {
		const from = byId.get(arrow.start.toId)
		const to = byId.get(arrow.end.toId)
		if (!from || !to) continue
		const start = {
			x: from.x + arrow.start.anchor.x * from.w,
			y: from.y + arrow.start.anchor.y * from.h,
		}
		const end = { x: to.x + arrow.end.anchor.x * to.w, y: to.y + arrow.end.anchor.y * to.h }
		if (arrow.candidateIndex !== null) {
			const cell = candidateRect(arrow.candidateIndex, from)
			const cellBox = { x: from.x + cell.x, y: from.y + cell.y, w: cell.w, h: cell.h }
			if (!arrow.start.exact) problems.push(`${arrow.id} does not start exactly`)
			if (!pointIn(cellBox, start))
				problems.push(`${arrow.id} starts outside candidate ${arrow.candidateIndex + 1}`)
		}
		for (const node of layout.nodes) {
			if (node.id === from.id || node.id === to.id) continue
			if (segmentCrossesBox(start, end, node)) problems.push(`${arrow.id} crosses ${node.id}`)
		}
	}
	return problems
}

/**
 * Where each drawn arrow starts on screen (its SVG body path), so the test checks the line tldraw
 * paints, not only the one the doc implies.
 */
export async function drawnArrowStarts(
	page: Page,
): Promise<{ id: string; x: number; y: number }[]> {
	return page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('.tl-shape[data-shape-type="arrow"]')].flatMap(
			(shapeEl) => {
				// The body: the first path outside the clip path's <defs>.
				const path = [...shapeEl.querySelectorAll<SVGPathElement>('path')].find(
					(p) => !p.closest('defs'),
				)
				const matrix = path?.getScreenCTM()
				if (!path || !matrix) return []
				const p = path.getPointAtLength(0)
				const screen = new DOMPoint(p.x, p.y).matrixTransform(matrix)
				return [{ id: shapeEl.dataset.shapeId ?? '', x: screen.x, y: screen.y }]
			},
		),
	)
}

/** Share of a rect's pixels in a screenshot that are neither canvas paper nor node white. */
export async function imagePixelShare(png: Buffer, rect: ScreenRect): Promise<number> {
	const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
	let painted = 0
	let total = 0
	const x0 = Math.max(0, Math.round(rect.x))
	const y0 = Math.max(0, Math.round(rect.y))
	const x1 = Math.min(info.width, Math.round(rect.x + rect.w))
	const y1 = Math.min(info.height, Math.round(rect.y + rect.h))
	for (let y = y0; y < y1; y++)
		for (let x = x0; x < x1; x++) {
			const i = (y * info.width + x) * info.channels
			const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!]
			total++
			const spread = Math.max(r, g, b) - Math.min(r, g, b)
			// Paper (#f7f6f2), white, greys of borders and shadows are near-neutral and light.
			if (spread > 24 || Math.max(r, g, b) < 150) painted++
		}
	return total === 0 ? 0 : painted / total
}

/**
 * A page box on screen under `camera` (`.tl-html-layer`'s), in a canvas at `canvas`: zoomed far
 * out, finished nodes are painted by the board's overview canvases and their own elements hidden,
 * so their screen rects come from the doc.
 */
export function pageToScreen(
	box: Box,
	camera: { x: number; y: number; z: number },
	canvas: ScreenRect,
): ScreenRect {
	return {
		x: canvas.x + (box.x + camera.x) * camera.z,
		y: canvas.y + (box.y + camera.y) * camera.z,
		w: box.w * camera.z,
		h: box.h * camera.z,
	}
}
