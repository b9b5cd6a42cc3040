import { HTMLContainer } from 'tldraw'
import { candidateRect, type NodeSlots } from '../../../shared/layout'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import { imageFileUrl } from '../../api/client'
import { useBoard } from '../../board/BoardContext'

/**
 * A node seen from far away (`MIN_CELL_PX`): its box and its cells as flat tiles, each showing
 * its smallest thumbnail (a mosaic of the grid, never a blank tile), with no camera subscription,
 * no header text and no blurred shadow, so that painting and compositing a thousand of them per
 * frame while panning stays cheap. Images are lazy: a node tldraw culls (off screen) fetches none.
 * Carries the same data attributes as the full node, so the board's tests still find it.
 */
export function DistantNode({ shape }: { shape: GenerationShape }) {
	const { w, h, jobId, status, kind, candidates } = shape.props
	const boardId = useBoard()?.boardId
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
						data-image-id={candidates[index]?.imageId}
						style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }}
					>
						{status === 'done' && boardId && candidates[index] && (
							<img
								src={imageFileUrl(boardId, candidates[index].imageId, 'small')}
								alt=""
								draggable={false}
								loading="lazy"
								decoding="async"
							/>
						)}
					</div>
				)
			})}
		</HTMLContainer>
	)
}
