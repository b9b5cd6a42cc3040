import { type PointerEvent as ReactPointerEvent, useRef } from 'react'
import { HTMLContainer, useEditor, useValue } from 'tldraw'
import { candidateRect, type NodeSlots } from '../../../shared/layout'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import { useBoard } from '../../board/BoardContext'
import { selectedLineage } from '../../board/lineage/canvasLineage'
import { isShapeInView } from '../../board/shapesInView'
import { CandidateCell } from './CandidateCell'
import { DistantNode } from './DistantNode'
import { type Detail, detailFor } from './detail'
import { JobPreview } from './JobPreview'
import { NodeHeader } from './NodeHeader'
import { NodeOverlay } from './NodeOverlay'
import { type ThumbSize, thumbSizeFor } from './thumbSize'

/**
 * A job on the canvas: header (what was asked, status), then its cells at exactly
 * `candidateRect` (server-placed arrows anchor there): a 2 × 2 grid, or one large image for a
 * final (framed, badged) or an upload. Pending nodes show placeholders with live progress from
 * the server's awareness; failed and cancelled ones offer a retry. Zoomed far out it is drawn as
 * a `DistantNode` instead.
 */
export function GenerationNode({ shape }: { shape: GenerationShape }) {
	const editor = useEditor()
	const { w, h } = shape.props
	const slots: NodeSlots = shape.props.slots === 1 ? 1 : 4
	const cellW = candidateRect(0, { w, h }, slots).w
	// Levels, not the zoom, so zooming re-renders a node only when its cells cross a threshold.
	// The efficient zoom is debounced while the camera moves on boards of many shapes. One
	// computation for both: each is a dependant of the camera that every pan frame visits.
	const lastThumb = useRef<ThumbSize | undefined>(undefined)
	const view = useValue('node level of detail', (): `${Detail} ${ThumbSize}` => {
		const cellPx = editor.getEfficientZoomLevel() * cellW
		const detail = detailFor(cellPx)
		// `window`, not the instance state (which changes as the camera starts and stops moving):
		// this changes when a window moves to another screen, and the next zoom picks it up.
		lastThumb.current = thumbSizeFor(cellPx * window.devicePixelRatio, lastThumb.current)
		return `${detail} ${lastThumb.current}`
	}, [editor, cellW])
	const [detail, thumbSize] = view.split(' ') as [Detail, ThumbSize]
	if (detail === 'distant') return <DistantNode shape={shape} />
	return <NearNode shape={shape} small={detail === 'small'} thumbSize={thumbSize} />
}

interface NearNodeProps {
	shape: GenerationShape
	/** Cells below `MIN_SHADOW_CELL_PX`: no blurred shadow. */
	small: boolean
	thumbSize: ThumbSize
}

/** The whole node, with everything a person can read and do on it. */
function NearNode({ shape, small, thumbSize }: NearNodeProps) {
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
	// Off screen a node draws its cells without images (see `isShapeInView`): a returning image
	// comes from the browser's memory cache, its URL never changes.
	const inView = useValue('node in view', () => isShapeInView(editor, shape.id), [editor, shape.id])
	const canEdit = board?.canEdit ?? false
	// Keep tldraw from starting a selection or drag on interactive parts.
	const handled = (event: ReactPointerEvent) => editor.markEventAsHandled(event)
	const cells = Array.from({ length: slots }, (_, index) => index)

	return (
		<HTMLContainer
			className={`arbor-node arbor-node--${status} arbor-node--${kind}${lineage ? ' arbor-node--ancestor' : ''}${small ? ' arbor-node--small' : ''}`}
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
								thumbSize={thumbSize}
								showImage={inView}
								rect={candidateRect(index, { w, h }, slots)}
								single={slots === 1}
								isActive={activeIndex === index}
								isCommitted={committed.includes(candidate.imageId)}
								isLocked={shape.isLocked}
								isFinal={kind === 'final'}
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
			{status === 'running' && board && live?.preview !== undefined && (
				<JobPreview boardId={board.boardId} jobId={jobId} n={live.preview} w={w} h={h} />
			)}
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
