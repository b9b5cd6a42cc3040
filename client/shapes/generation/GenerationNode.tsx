import type { PointerEvent as ReactPointerEvent } from 'react'
import { HTMLContainer, useEditor, useValue } from 'tldraw'
import { candidateRect, type NodeSlots } from '../../../shared/layout'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import { useBoard } from '../../board/BoardContext'
import { selectedLineage } from '../../board/lineage/canvasLineage'
import { CandidateCell } from './CandidateCell'
import { NodeHeader } from './NodeHeader'
import { NodeOverlay } from './NodeOverlay'

/**
 * A job on the canvas: header (what was asked, status), then its cells at exactly
 * `candidateRect` (server-placed arrows anchor there): a 2 × 2 grid, or one large image for a
 * final (framed, badged) or an upload. Pending nodes show placeholders with live progress from
 * the server's awareness; failed and cancelled ones offer a retry.
 */
export function GenerationNode({ shape }: { shape: GenerationShape }) {
	const editor = useEditor()
	const board = useBoard()
	const { w, h, jobId, status, candidates, kind, committed } = shape.props
	const slots: NodeSlots = shape.props.slots === 1 ? 1 : 4
	const live = useValue('job progress', () => board?.jobs.get()[jobId], [board, jobId])
	const activeIndex = useValue('active candidate', () => {
		const active = board?.active.get()
		return active && active.shapeId === shape.id ? active.index : null
	}, [board, shape.id])
	// On the selected node's ancestor path: this node (an ancestor) and the candidate it branched from.
	const lineage = useValue('on lineage path', () => {
		const path = selectedLineage(editor).get()
		return path.shapes.indexOf(shape.id) > 0 ? path.imageIds : null
	}, [editor, shape.id])
	const canEdit = board?.canEdit ?? false
	// Keep tldraw from starting a selection or drag on interactive parts.
	const handled = (event: ReactPointerEvent) => editor.markEventAsHandled(event)
	const cells = Array.from({ length: slots }, (_, index) => index)

	return (
		<HTMLContainer
			className={`arbor-node arbor-node--${status} arbor-node--${kind}${lineage ? ' arbor-node--ancestor' : ''}`}
			data-testid="generation-node"
			data-job-id={jobId}
			data-status={status}
			data-kind={kind}
			data-lineage={lineage ? 'ancestor' : undefined}
			style={{ width: w, height: h }}
		>
			<NodeHeader
				shape={shape}
				canEdit={canEdit && !!board}
				onPointerDown={handled}
				onCancel={() => void board?.cancel(jobId)}
				onReroll={() => void board?.explore({ op: 'reroll', parentJobId: jobId })}
			/>
			{status === 'done' && board
				? candidates
						.slice(0, slots)
						.map((candidate, index) => (
							<CandidateCell
								key={candidate.imageId}
								boardId={board.boardId}
								index={index}
								imageId={candidate.imageId}
								rect={candidateRect(index, { w, h }, slots)}
								single={slots === 1}
								isActive={activeIndex === index}
								isCommitted={committed.includes(candidate.imageId)}
								isLocked={shape.isLocked}
								onPath={lineage?.includes(candidate.imageId) ?? false}
								canEdit={canEdit}
								onPointerDown={handled}
								onPick={() => board.pick({ shapeId: shape.id, index, imageId: candidate.imageId })}
								onVary={(strength) => void board.vary(candidate.imageId, strength)}
							/>
						))
				: cells.map((index) => {
						const rect = candidateRect(index, { w, h }, slots)
						return (
							<div
								key={index}
								className="arbor-cell arbor-cell--placeholder"
								style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }}
							/>
						)
					})}
			{status !== 'done' && (
				<NodeOverlay
					shape={shape}
					live={live}
					canEdit={canEdit}
					onPointerDown={handled}
					onRetry={() => void board?.retry(jobId)}
				/>
			)}
		</HTMLContainer>
	)
}
