import type { PointerEvent as ReactPointerEvent } from 'react'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import { SHORTCUT_LABELS } from '../../board/shortcuts'
import { canReroll } from '../../board/useSteeringKeys'
import { useReview } from '../../ui/review/ReviewContext'
import { statusPill } from './progressText'

interface NodeHeaderProps {
	shape: GenerationShape
	canEdit: boolean
	onPointerDown(event: ReactPointerEvent): void
	onCancel(): void
	onReroll(): void
}

function subtitle(shape: GenerationShape): string {
	const { kind, prompt, candidates } = shape.props
	const first = candidates[0]
	const size = first ? `${first.width} × ${first.height}` : ''
	if (kind === 'upload') return size ? `Your image · ${size}` : 'Your image'
	if (kind === 'final' && size) return prompt ? `${size} · ${prompt}` : size
	return prompt
}

/** What was asked (label, prompt), where it stands, and what can be done with the whole node. */
export function NodeHeader({ shape, canEdit, onPointerDown, onCancel, onReroll }: NodeHeaderProps) {
	const { status, label, kind } = shape.props
	const pending = status === 'queued' || status === 'running'
	const text = subtitle(shape)
	const pill = statusPill(shape.props, { isClient: useReview()?.role === 'client' })
	return (
		<header className="arbor-node__header">
			{kind === 'final' && (
				<span className="arbor-badge arbor-badge--final" data-testid="final-badge">
					Final
				</span>
			)}
			{kind === 'upload' && (
				<span className="arbor-badge arbor-badge--upload" data-testid="upload-badge">
					Upload
				</span>
			)}
			<div className="arbor-node__titles">
				<span className="arbor-node__label">{label}</span>
				<span className="arbor-node__prompt" title={text}>
					{text}
				</span>
			</div>
			{pill && (
				<span className={`arbor-pill arbor-pill--${status}`} data-testid="job-status">
					{pill}
				</span>
			)}
			{canEdit && canReroll(shape) && (
				<button
					type="button"
					className="arbor-node__action arbor-node__action--reroll"
					data-testid="node-reroll"
					aria-label="Reroll: same prompt, four new seeds"
					title={`Reroll — same prompt and parameters, four new seeds (${SHORTCUT_LABELS.reroll})`}
					onPointerDown={onPointerDown}
					onClick={onReroll}
				>
					<span aria-hidden="true">↻</span> Reroll
				</button>
			)}
			{canEdit && pending && (
				<button
					type="button"
					className="arbor-node__action"
					data-testid="job-cancel"
					title="Cancel this job (its credits are refunded)"
					onPointerDown={onPointerDown}
					onClick={onCancel}
				>
					Cancel
				</button>
			)}
		</header>
	)
}
