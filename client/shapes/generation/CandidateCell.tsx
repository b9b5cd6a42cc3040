import { type PointerEvent as ReactPointerEvent, useEffect, useRef, useState } from 'react'
import type { Box } from '../../../shared/layout'
import type { VaryStrength } from '../../../shared/ops/params'
import { imageFileUrl } from '../../api/client'
import { SHORTCUT_LABELS } from '../../board/shortcuts'
import { useReview } from '../../ui/review/ReviewContext'
import { ReviewMarksBadges } from '../../ui/review/ReviewMarksBadges'
import { useImageMarks } from '../../ui/review/useReviewState'
import type { ThumbSize } from './thumbSize'

interface CandidateCellProps {
	boardId: string
	index: number
	imageId: string
	/** The WebP to show: `small` when the cell is small on screen (`thumbSizeFor`). */
	thumbSize: ThumbSize
	/** False off screen: no `<img>` at all, so none waits in the browser's lazy-load observer. */
	showImage: boolean
	/** From `candidateRect`, in the node's own coordinates. */
	rect: Box
	/** The node's only image (a final, an upload): no number, full-size pixels. */
	single: boolean
	isActive: boolean
	/** Upscaled to a final (the commit loop). */
	isCommitted: boolean
	/** The node is locked (a final): its pill shows a padlock. */
	isLocked?: boolean
	/** The node is a final: its own image's pill is the padlock alone. */
	isFinal?: boolean
	/** The selected node's lineage leaves from this candidate. */
	onPath: boolean
	canEdit: boolean
	onPointerDown(event: ReactPointerEvent): void
	onPick(): void
	onVary(strength: VaryStrength): void
}

/** One candidate of a finished node: pick it to inspect and steer it, vary it from here. */
export function CandidateCell(props: CandidateCellProps) {
	const { boardId, index, imageId, rect, isActive, canEdit, single } = props
	const [isHovered, setHovered] = useState(false)
	// Review marks, live for everyone from the server's awareness.
	const marks = useImageMarks(useReview(), imageId)
	const isCommitted = props.isCommitted || marks.decision === 'committed'
	const showActions = canEdit && (isHovered || isActive)
	// Focus follows the pick: a key that picks another candidate (1–4) would otherwise leave the
	// focus ring on the clicked one, and two cells would look selected.
	const pickButton = useRef<HTMLButtonElement>(null)
	useEffect(() => {
		const button = pickButton.current
		const focused = button?.ownerDocument.activeElement
		if (!isActive || !button || focused === button) return
		if (focused instanceof HTMLElement && focused.classList.contains('arbor-cell__pick'))
			button.focus({ preventScroll: true })
	}, [isActive])
	const name = single ? 'the image' : `candidate ${index + 1}`
	const classes = [
		'arbor-cell',
		isActive && 'arbor-cell--active',
		props.onPath && 'arbor-cell--on-path',
		single && 'arbor-cell--single',
		marks.decision !== 'none' && `arbor-cell--${marks.decision}`,
	]
	return (
		<div
			className={classes.filter(Boolean).join(' ')}
			style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }}
			data-testid="candidate"
			data-index={index}
			data-image-id={imageId}
			data-active={isActive ? 'true' : 'false'}
			data-committed={isCommitted ? 'true' : 'false'}
			data-decision={marks.decision}
			data-comments={marks.openComments}
			onPointerEnter={() => setHovered(true)}
			onPointerLeave={() => setHovered(false)}
		>
			<button
				ref={pickButton}
				type="button"
				className="arbor-cell__pick"
				title={single ? 'Pick the image — key 1' : `Pick candidate ${index + 1} — key ${index + 1}`}
				aria-label={`Pick ${name}`}
				aria-pressed={isActive}
				onPointerDown={props.onPointerDown}
				onClick={props.onPick}
			>
				{props.showImage && (
					<img
						// Thumbnails even for a large single: a board of finals must stay cheap to open.
						src={imageFileUrl(boardId, imageId, props.thumbSize)}
						alt={single ? 'The image' : `Candidate ${index + 1}`}
						draggable={false}
						// Still lazy: of a node at the viewport's edge, only cells inside it are fetched.
						loading="lazy"
						decoding="async"
					/>
				)}
				{!single && <span className="arbor-cell__index">{index + 1}</span>}
			</button>
			<ReviewMarksBadges
				decision={marks.decision}
				openComments={marks.openComments}
				isCommitted={isCommitted}
				isLocked={props.isLocked}
				isFinal={props.isFinal}
			/>
			{showActions && (
				<div className="arbor-cell__actions">
					<VaryButton strength="subtle" {...props} />
					<VaryButton strength="strong" {...props} />
				</div>
			)}
		</div>
	)
}

function VaryButton(props: CandidateCellProps & { strength: VaryStrength }) {
	const { strength } = props
	const key = strength === 'subtle' ? SHORTCUT_LABELS.varySubtle : SHORTCUT_LABELS.varyStrong
	return (
		<button
			type="button"
			className="arbor-cell__vary"
			data-testid={`vary-${strength}`}
			title={`Vary (${strength}) — ${key}`}
			onPointerDown={props.onPointerDown}
			onClick={(event) => {
				event.stopPropagation()
				props.onVary(strength)
			}}
		>
			{strength === 'subtle' ? 'Vary subtle' : 'Vary strong'}
		</button>
	)
}
