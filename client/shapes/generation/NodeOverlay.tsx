import type { PointerEvent as ReactPointerEvent } from 'react'
import type { JobProgress } from '../../../shared/collab'
import { GRID_LAYOUT } from '../../../shared/layout'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import { progressView } from './progressText'

interface NodeOverlayProps {
	shape: GenerationShape
	live: JobProgress | undefined
	canEdit: boolean
	onPointerDown(event: ReactPointerEvent): void
	onRetry(): void
}

/** Sits over the placeholder grid: live progress while pending, the reason and Retry after. */
export function NodeOverlay({ shape, live, canEdit, onPointerDown, onRetry }: NodeOverlayProps) {
	const { status, error } = shape.props
	const { pad, header } = GRID_LAYOUT
	const box = { left: pad, top: header, right: pad, bottom: pad }

	if (status === 'queued' || status === 'running') {
		const view = progressView(status, live)
		return (
			<div className="arbor-overlay" style={box} data-testid="job-progress-panel">
				<div className="arbor-overlay__card">
					<div className="arbor-overlay__headline" data-testid="job-progress-text">
						{view.headline}
					</div>
					<div
						className={`arbor-bar${view.fraction === null ? ' arbor-bar--indeterminate' : ''}`}
						data-testid="job-progress"
						data-progress={view.fraction === null ? '' : view.fraction.toFixed(3)}
						data-position={live?.position ?? ''}
						role="progressbar"
						aria-valuemin={0}
						aria-valuemax={100}
						aria-valuenow={view.fraction === null ? undefined : Math.round(view.fraction * 100)}
					>
						<div
							className="arbor-bar__fill"
							style={view.fraction === null ? undefined : { width: `${view.fraction * 100}%` }}
						/>
					</div>
					{view.detail && (
						<div className="arbor-overlay__detail" data-testid="job-eta">
							{view.detail}
						</div>
					)}
				</div>
			</div>
		)
	}

	const failed = status === 'failed'
	return (
		<div className="arbor-overlay" style={box}>
			<div className={`arbor-overlay__card arbor-overlay__card--${status}`}>
				<div className="arbor-overlay__headline">
					{failed ? 'This generation failed' : 'Cancelled'}
				</div>
				{failed && (
					<p className="arbor-overlay__reason" data-testid="job-error">
						{error || 'The generator stopped without saying why.'}
					</p>
				)}
				{canEdit && (
					<button
						type="button"
						className="arbor-button arbor-button--small"
						data-testid="job-retry"
						title="Run this job again in place"
						onPointerDown={onPointerDown}
						onClick={onRetry}
					>
						Retry
					</button>
				)}
			</div>
		</div>
	)
}
