import { OPS, type OpName } from '../../shared/ops/catalogue'

/**
 * The inspector's heading for an image. Once its details are loaded, the image's own op decides
 * (a client's view frames every published image as a final, whatever made it). A grid's candidate is numbered by its place in its grid,
 * the image's own `index` — the same number for everyone: a client's view draws each image as a
 * node of its own (its place there is always 1), so "Candidate 2" read as "Candidate 1".
 */
export function inspectorTitle(options: {
	kind: 'grid' | 'final' | 'upload' | undefined
	/** The candidate's place in the node on this canvas. */
	activeIndex: number
	/** The image's place in its job's grid, once its details are loaded. */
	imageIndex: number | undefined
	/** Cells of the node on this canvas (4 for a team's grid, 1 in a client's view). */
	slots: number
	/** The op that made the image, once its details are loaded. */
	imageOp?: string
}): string {
	const { imageOp } = options
	const kind =
		imageOp === undefined
			? options.kind
			: imageOp === 'upload'
				? 'upload'
				: Object.hasOwn(OPS, imageOp) && OPS[imageOp as OpName].yields === 'grid'
					? 'grid'
					: 'final'
	if (kind === 'final') return 'Final image'
	if (kind === 'upload') return 'Uploaded image'
	const index = options.imageIndex ?? (options.slots > 1 ? options.activeIndex : undefined)
	return index === undefined ? 'Candidate' : `Candidate ${index + 1}`
}
