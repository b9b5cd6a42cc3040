import { useEffect, useRef } from 'react'
import { type Editor, react, useEditor, useValue } from 'tldraw'
import { imageFileUrl } from '../../../api/client'
import { useBoard } from '../../../board/BoardContext'
import { MIN_CELL_PX } from '../detail'
import { OverviewTiles } from './OverviewTiles'
import { overviewLevel, overviewScale } from './overviewGeometry'
import { overviewNodesOf } from './overviewNodes'

/**
 * Whether some finished node is drawn as a `DistantNode` at the current zoom — the same rule
 * (`MIN_CELL_PX`, the debounced efficient zoom), so the overview is there exactly when a distant
 * node leaves its cells to it.
 */
export function isOverviewShown(editor: Editor): boolean {
	const { minCellW } = overviewNodesOf(editor).get()
	return editor.getEfficientZoomLevel() * minCellW < MIN_CELL_PX
}

/**
 * Rendered on the canvas (tldraw's `OnTheCanvas`, page coordinates, under the shapes): the images
 * of every distant node (`OverviewTiles`). A distant node draws only its outline over it.
 */
export function DistantOverview() {
	const editor = useEditor()
	const boardId = useBoard()?.boardId
	const shown = useValue('overview shown', () => isOverviewShown(editor), [editor])
	if (!shown || !boardId) return null
	return <OverviewLayer editor={editor} boardId={boardId} />
}

interface ThumbnailCache {
	scale: number
	bitmaps: Map<string, ImageBitmap>
	inflight: Map<string, Promise<void>>
}

/** Shrunk thumbnails per editor, kept while zoomed in so zooming out again fetches nothing. */
const cacheByEditor = new WeakMap<Editor, ThumbnailCache>()

function cacheFor(editor: Editor, scale: number): ThumbnailCache {
	const known = cacheByEditor.get(editor)
	if (known && known.scale === scale) return known
	for (const bitmap of known?.bitmaps.values() ?? []) bitmap.close()
	const cache = { scale, bitmaps: new Map(), inflight: new Map() }
	cacheByEditor.set(editor, cache)
	return cache
}

function OverviewLayer({ editor, boardId }: { editor: Editor; boardId: string }) {
	const ref = useRef<HTMLDivElement>(null)
	// The finest scale: a distant cell crisp at the distant threshold (within the pixel budget).
	const crisp = useValue('overview scale', () => {
		const { minCellW, area } = overviewNodesOf(editor).get()
		return overviewScale({ minCellW, devicePixelRatio: window.devicePixelRatio, nodeArea: area })
	}, [editor])
	// Farther out, a level of half, a quarter… as many pixels, never below the screen's: drawing
	// the finest level shrunk to a fit-all zoom cost a pan a fifth of its frame rate.
	const scale = useValue(
		'overview level',
		() => overviewLevel(crisp, editor.getEfficientZoomLevel() * window.devicePixelRatio),
		[editor, crisp],
	)
	useEffect(() => {
		const root = ref.current
		if (!root) return
		const style = getComputedStyle(root)
		const tiles = new OverviewTiles(
			root,
			scale,
			cacheFor(editor, crisp).bitmaps,
			cacheFor(editor, crisp).inflight,
			crisp,
			(imageId) => imageFileUrl(boardId, imageId, 'small'),
			{
				edge: '#dcdad6',
				card: style.getPropertyValue('--surface').trim() || '#fffdf9',
				cell: '#ece9e1',
				finalCell: '#2f2c27',
			},
		)
		const stopNodes = react('overview nodes', () =>
			tiles.setNodes(overviewNodesOf(editor).get().nodes),
		)
		const stopView = react('overview viewport', () => {
			const { x, y, w, h } = editor.getViewportPageBounds()
			tiles.setViewport({ x, y, w, h })
		})
		return () => {
			stopNodes()
			stopView()
			tiles.dispose()
		}
	}, [editor, boardId, scale, crisp])
	return (
		<div ref={ref} className="arbor-overview" data-testid="distant-overview" aria-hidden="true" />
	)
}
