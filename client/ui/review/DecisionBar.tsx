import type { DecisionState } from '../../../shared/review'
import type { SettableDecision } from '../../api/review'
import { SHORTCUT_LABELS } from '../../board/shortcuts'
import { LockIcon } from './LockIcon'
import type { ReviewAccess } from './reviewAccess'
import { DECISION_LABELS } from './reviewText'

interface DecisionBarProps {
	state: DecisionState
	access: ReviewAccess
	busy: boolean
	onDecide(state: SettableDecision): void
}

const BUTTONS = [
	{ state: 'approved', label: 'Approve', icon: '✓', key: SHORTCUT_LABELS.approve, id: 'approve' },
	{ state: 'rejected', label: 'Reject', icon: '✕', key: SHORTCUT_LABELS.reject, id: 'reject' },
	{ state: 'starred', label: 'Star', icon: '★', key: SHORTCUT_LABELS.star, id: 'star' },
] as const

/**
 * Approve / Reject / Star / Clear for the open candidate; the current mark is pressed, and
 * pressing it again clears it. Committed picks are locked: the bar only says so.
 */
export function DecisionBar({ state, access, busy, onDecide }: DecisionBarProps) {
	if (state === 'committed') {
		return (
			<div className="decision-status decision-status--committed" data-testid="decision-status">
				<LockIcon /> Committed pick · its final is locked on the board
			</div>
		)
	}
	const buttons = BUTTONS.filter((button) => (button.id === 'star' ? access.mark : access.decide))
	if (buttons.length === 0) return null
	return (
		<fieldset className="decision-bar" data-testid="decision-bar" data-state={state}>
			<legend className="visually-hidden">Review decision</legend>
			{buttons.map((button) => {
				const pressed = state === button.state
				return (
					<button
						key={button.state}
						type="button"
						className={`decision-button decision-button--${button.state}`}
						data-testid={`decision-${button.id}`}
						aria-pressed={pressed}
						disabled={busy}
						title={`${pressed ? `Clear “${DECISION_LABELS[button.state]}”` : button.label} — ${button.key}`}
						onClick={() => onDecide(pressed ? 'none' : button.state)}
					>
						<span className="decision-button__icon" aria-hidden="true">
							{button.icon}
						</span>
						{button.label}
					</button>
				)
			})}
			{access.mark && (
				<button
					type="button"
					className="decision-button decision-button--clear"
					data-testid="decision-clear"
					disabled={busy || state === 'none'}
					title={`Clear the mark — ${SHORTCUT_LABELS.clearMark}`}
					onClick={() => onDecide('none')}
				>
					Clear
				</button>
			)}
		</fieldset>
	)
}
