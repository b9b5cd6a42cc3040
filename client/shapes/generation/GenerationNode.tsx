import type { PointerEvent as ReactPointerEvent } from 'react'
import { HTMLContainer, useEditor, useValue } from 'tldraw'
import { candidateRect } from '../../../shared/layout'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import { useBoard } from '../../board/BoardContext'
import { CandidateCell } from './CandidateCell'
import { NodeOverlay } from './NodeOverlay'
import { STATUS_LABELS } from './progressText'

const CELLS = [0, 1, 2, 3]

/**
 * A job on the canvas: header (what was asked, status), then the 2 × 2 grid at exactly
 * `candidateRect` (server-placed arrows anchor there). Pending nodes show a placeholder grid with
 * live progress from the server's awareness; failed and cancelled ones offer a retry.
 */
export function GenerationNode({ shape }: { shape: GenerationShape }) {
	const editor = useEditor()
	const board = useBoard()
	const { w, h, jobId, status, label, prompt, candidates } = shape.props
	const live = useValue('job progress', () => board?.jobs.get()[jobId], [board, jobId])
	const activeIndex = useValue('active candidate', () => {
		const active = board?.active.get()
		return active && active.shapeId === shape.id ? active.index : null
	}, [board, shape.id])
	const canEdit = board?.canEdit ?? false
	const pending = status === 'queued' || status === 'running'
	// Keep tldraw from starting a selection or drag on interactive parts.
	const handled = (event: ReactPointerEvent) => editor.markEventAsHandled(event)

	return (
		<HTMLContainer
			className={`arbor-node arbor-node--${status}`}
			data-testid="generation-node"
			data-job-id={jobId}
			data-status={status}
			style={{ width: w, height: h }}
		>
			<header className="arbor-node__header">
				<div className="arbor-node__titles">
					<span className="arbor-node__label">{label}</span>
					<span className="arbor-node__prompt" title={prompt}>
						{prompt}
					</span>
				</div>
				<span className={`arbor-pill arbor-pill--${status}`} data-testid="job-status">
					{STATUS_LABELS[status]}
				</span>
				{canEdit && pending && board && (
					<button
						type="button"
						className="arbor-node__action"
						data-testid="job-cancel"
						title="Cancel this job (its credits are refunded)"
						onPointerDown={handled}
						onClick={() => void board.cancel(jobId)}
					>
						Cancel
					</button>
				)}
			</header>
			{status === 'done' && board
				? candidates.map((candidate, index) => (
						<CandidateCell
							key={candidate.imageId}
							boardId={board.boardId}
							index={index}
							imageId={candidate.imageId}
							rect={candidateRect(index, { w, h })}
							isActive={activeIndex === index}
							canEdit={canEdit}
							onPointerDown={handled}
							onPick={() => board.pick({ shapeId: shape.id, index, imageId: candidate.imageId })}
							onVary={(strength) => void board.vary(candidate.imageId, strength)}
						/>
					))
				: CELLS.map((index) => {
						const rect = candidateRect(index, { w, h })
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
