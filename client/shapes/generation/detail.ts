/**
 * Screen size (CSS px) of a candidate cell below which the node is drawn as a `DistantNode`: its
 * box and flat cells, no header, its pixels painted by the board's `DistantOverview`. Zoomed out
 * over a large board, over a thousand nodes are in view with cells a few pixels wide: a full node
 * each (8,000 thumbnails fetched and decoded, blurred shadows, a clipped button and badges per
 * cell) made a 2,000-node board take seconds to open and pan at a few frames per second, to paint
 * colour blobs. Zooming back in brings everything back (thumbnails from the HTTP cache once seen:
 * their URLs are immutable).
 */
export const MIN_CELL_PX = 24
/**
 * Below this cell size (CSS px) the node keeps everything but its soft blurred shadow (a hairline
 * instead): a few pixels of blur on screen, yet re-rastering ~80 of them per frame cost a
 * zoomed-out pan (zoom 0.25) about a third of its frame rate.
 */
export const MIN_SHADOW_CELL_PX = 80

export type Detail = 'distant' | 'small' | 'near'

/** How much of a node to draw when one of its cells is `cellPx` CSS px wide on screen. */
export function detailFor(cellPx: number): Detail {
	return cellPx < MIN_CELL_PX ? 'distant' : cellPx < MIN_SHADOW_CELL_PX ? 'small' : 'near'
}
