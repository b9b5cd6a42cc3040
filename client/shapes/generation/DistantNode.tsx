import { HTMLContainer } from 'tldraw'
import { candidateRect, type NodeSlots } from '../../../shared/layout'
import type { GenerationShape } from '../../../shared/shapes/generationShape'

/**
 * A node seen from far away (`MIN_CELL_PX`): its box and its cells as flat tiles, one element
 * each, with no hooks, no header text, no images and no blurred shadow, so that painting and
 * compositing a thousand of them per frame while panning stays as cheap as an empty canvas.
 * Carries the same data attributes as the full node, so the board's tests still find it.
 */
export function DistantNode({ shape }: { shape: GenerationShape }) {
	const { w, h, jobId, status, kind } = shape.props
	const slots: NodeSlots = shape.props.slots === 1 ? 1 : 4
	const cells = Array.from({ length: slots }, (_, index) => index)
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
						style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }}
					/>
				)
			})}
		</HTMLContainer>
	)
}
