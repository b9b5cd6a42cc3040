import type { LimitNotice, SpendCheck } from '../../budget/limits'
import { ADMIN_PATH, Link } from '../router'

/**
 * Why Generate is off, above the prompt: out of credits (persistent until credits arrive) or
 * short of the price.
 */
export function CreditsNotice(props: {
	check: Extract<SpendCheck, { ok: false }>
	isAdmin: boolean
}) {
	const { check } = props
	return (
		<div
			className={`spend-notice spend-notice--${check.reason}`}
			role="status"
			data-testid="credits-notice"
			data-reason={check.reason}
		>
			<span className="spend-notice__icon" aria-hidden="true" />
			<div className="spend-notice__text">
				<strong>{check.message}</strong>
				<span>{check.detail}</span>
			</div>
			{props.isAdmin && (
				<Link
					to={ADMIN_PATH}
					className="arbor-button arbor-button--small"
					data-testid="notice-admin"
				>
					Grant credits
				</Link>
			)}
		</div>
	)
}

/** A request the server refused for a limit (402/429): what happened, what to do, dismissible. */
export function LimitErrorNotice(props: {
	notice: LimitNotice
	onDismiss(): void
	/** Board budget refusals offer the usage panel, where the owner raises the cap. */
	onOpenUsage?: () => void
}) {
	const { notice } = props
	return (
		<div
			className="spend-notice spend-notice--error"
			role="alert"
			data-testid="limit-notice"
			data-code={notice.code}
		>
			<span className="spend-notice__icon" aria-hidden="true" />
			<div className="spend-notice__text">
				<strong>{notice.title}</strong>
				<span data-testid="limit-notice-message">{notice.message}</span>
			</div>
			{notice.code === 'board_budget_exceeded' && props.onOpenUsage && (
				<button
					type="button"
					className="arbor-button arbor-button--small"
					data-testid="limit-notice-usage"
					onClick={props.onOpenUsage}
				>
					Board usage
				</button>
			)}
			<button
				type="button"
				className="icon-button icon-button--small"
				aria-label="Dismiss"
				data-testid="limit-notice-dismiss"
				onClick={props.onDismiss}
			>
				×
			</button>
		</div>
	)
}
