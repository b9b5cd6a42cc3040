import { HTMLContainer } from 'tldraw'
import { candidateRect, type NodeSlots } from '../../../shared/layout'
import type { GenerationShape } from '../../../shared/shapes/generationShape'

/**
 * A node seen from far away (`MIN_CELL_PX`), with no camera subscription, no header text, no
 * blurred shadow and no `<img>`. A finished node draws nothing itself: its card and images are
 * painted under it by the board's `DistantOverview` (one set of canvases for every distant node: a
 * mosaic of each grid's smallest thumbnails, never a blank tile) — 2,000 boxes of flat cells
 * alone, re-rastered on each frame of a pan, held a fit-all pan to a third of an empty board's
 * frame rate. A pending or failed node draws its box and flat cells. Carries the full node's data
 * attributes (and its images' ids), so the board's tests still find it.
 */
export function DistantNode({ shape }: { shape: GenerationShape }) {
	const { w, h, jobId, status, kind, candidates } = shape.props
	const slots: NodeSlots = shape.props.slots === 1 ? 1 : 4
	const painted = status === 'done' && candidates.length > 0
	const cells = Array.from({ length: slots }, (_, index) => index)
	if (painted)
		return (
			<HTMLContainer
				className="arbor-node--overview"
				data-testid="generation-node"
				data-job-id={jobId}
				data-status={status}
				data-kind={kind}
				data-distant="true"
				data-image-ids={candidates
					.slice(0, slots)
					.map((c) => c.imageId)
					.join(' ')}
				style={{ width: w, height: h }}
			/>
		)
	return (
		<HTMLContainer
			className={`arbor-node arbor-node--distant arbor-node--${status} arbor-node--${kind}`}
			data-testid="generation-node"
			data-job-id={jobId}
			data-status={status}
			data-kind={kind}
			data-distant="true"
			style={{ width: w, height: h }}
		>
			{cells.map((index) => {
				const rect = candidateRect(index, { w, h }, slots)
				return (
					<div
						key={index}
						className="arbor-cell arbor-cell--distant"
						data-image-id={candidates[index]?.imageId}
						style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }}
					/>
				)
			})}
		</HTMLContainer>
	)
}
