import type { DecisionState } from '../../../shared/review'
import { LockIcon } from './LockIcon'
import { finalPill } from './reviewText'

const DECISION_BADGES = {
	approved: { icon: '✓', title: 'Approved' },
	rejected: { icon: '✕', title: 'Rejected' },
	starred: { icon: '★', title: 'Starred' },
} as const

interface ReviewMarksBadgesProps {
	decision: DecisionState
	openComments: number
	/** Upscaled to a final (a commit-loop upscale or a committed pick). */
	isCommitted: boolean
	/** Locked on the board (a final): the pill shows a padlock. */
	isLocked?: boolean
	/** The cell is a final node's own image. */
	isFinal?: boolean
}

/**
 * A candidate's corner on the canvas: its open comments, its mark (approved ✓, rejected ✕,
 * starred ★) and its final pill: "★ Final" for an upscaled candidate, "🔒 Committed" for the
 * review's locked pick. A final that
 * someone approved after it was committed shows both.
 */
export function ReviewMarksBadges(props: ReviewMarksBadgesProps) {
	const { decision, openComments } = props
	const pill = finalPill(props)
	const mark = decision === 'approved' || decision === 'rejected' || decision === 'starred'
	if (!pill && !mark && openComments === 0) return null
	return (
		<span className="arbor-cell__marks">
			{openComments > 0 && (
				<span
					className="arbor-mark arbor-mark--comments"
					data-testid="comment-badge"
					title={openComments === 1 ? '1 open comment' : `${openComments} open comments`}
				>
					<svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
						<path
							d="M3 2.5h10a1.5 1.5 0 0 1 1.5 1.5v6a1.5 1.5 0 0 1-1.5 1.5H8l-3.2 2.6v-2.6H3A1.5 1.5 0 0 1 1.5 10V4A1.5 1.5 0 0 1 3 2.5Z"
							fill="currentColor"
						/>
					</svg>
					{openComments}
				</span>
			)}
			{mark && (
				<span
					className={`arbor-mark arbor-mark--${decision}`}
					data-testid="decision-badge"
					data-state={decision}
					title={DECISION_BADGES[decision].title}
					role="img"
					aria-label={DECISION_BADGES[decision].title}
				>
					{DECISION_BADGES[decision].icon}
				</span>
			)}
			{pill && (
				<span
					className={`arbor-cell__committed arbor-cell__committed--${pill.kind}`}
					data-testid="committed-badge"
					data-kind={pill.kind}
					title={pill.title}
				>
					{pill.kind === 'final' ? <span aria-hidden="true">★</span> : <LockIcon size={10} />}
					{pill.label ? ` ${pill.label}` : <span className="visually-hidden">{pill.title}</span>}
				</span>
			)}
		</span>
	)
}
