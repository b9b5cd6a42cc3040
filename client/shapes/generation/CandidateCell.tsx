import { type PointerEvent as ReactPointerEvent, useState } from 'react'
import type { Box } from '../../../shared/layout'
import type { VaryStrength } from '../../../shared/ops/params'
import { imageFileUrl } from '../../api/client'
import { SHORTCUT_LABELS } from '../../board/shortcuts'

interface CandidateCellProps {
	boardId: string
	index: number
	imageId: string
	/** From `candidateRect`, in the node's own coordinates. */
	rect: Box
	isActive: boolean
	canEdit: boolean
	onPointerDown(event: ReactPointerEvent): void
	onPick(): void
	onVary(strength: VaryStrength): void
}

/** One candidate of a finished grid: pick it to inspect it, vary it from here. */
export function CandidateCell(props: CandidateCellProps) {
	const { boardId, index, imageId, rect, isActive, canEdit } = props
	const [isHovered, setHovered] = useState(false)
	const showActions = canEdit && (isHovered || isActive)
	return (
		<div
			className={`arbor-cell${isActive ? ' arbor-cell--active' : ''}`}
			style={{ left: rect.x, top: rect.y, width: rect.w, height: rect.h }}
			data-testid="candidate"
			data-index={index}
			data-image-id={imageId}
			data-active={isActive ? 'true' : 'false'}
			onPointerEnter={() => setHovered(true)}
			onPointerLeave={() => setHovered(false)}
		>
			<button
				type="button"
				className="arbor-cell__pick"
				title={`Pick candidate ${index + 1} — key ${index + 1}`}
				aria-pressed={isActive}
				onPointerDown={props.onPointerDown}
				onClick={props.onPick}
			>
				<img
					src={imageFileUrl(boardId, imageId, 'thumb')}
					alt={`Candidate ${index + 1}`}
					draggable={false}
					loading="lazy"
					decoding="async"
				/>
				<span className="arbor-cell__index">{index + 1}</span>
			</button>
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
