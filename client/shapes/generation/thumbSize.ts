import { THUMBNAIL_EDGES } from '../../../shared/api'

/** The WebP sizes a canvas cell draws (`full` is for the inspector and downloads). */
export type ThumbSize = 'small' | 'thumb'

/**
 * Share of the small edge below which a cell showing the thumbnail goes back to the small one:
 * between the two it keeps what it has, so a zoom that stops near the edge (zoom 0.5 on a 1×
 * screen is a 100-px cell) does not swap images back and forth, fetching each time.
 */
export const SMALL_THUMB_HYSTERESIS = 0.75

/**
 * Which WebP a cell of `cellPx` device pixels (zoom × cell width × device pixel ratio) shows.
 * `small` as long as it is not enlarged on screen; `thumb` above that, until the cell shrinks
 * below `SMALL_THUMB_HYSTERESIS` of the small edge again. Without a `previous` size (a node just
 * drawn), anything the small one covers takes it: it is the cheaper of the two to fetch and draw.
 * @example thumbSizeFor(50) // 'small' (zoom 0.25, 1× screen) — thumbSizeFor(110, 'thumb') // 'thumb'
 */
export function thumbSizeFor(cellPx: number, previous?: ThumbSize): ThumbSize {
	const edge = THUMBNAIL_EDGES.small
	if (cellPx > edge) return 'thumb'
	if (cellPx < edge * SMALL_THUMB_HYSTERESIS) return 'small'
	return previous ?? 'small'
}
