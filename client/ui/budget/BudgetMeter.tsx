import { useBudget, useCreditsSnapshot } from '../../budget/BudgetContext'
import {
	checkSpend,
	creditsText,
	formatCredits,
	nextRenewal,
	periodTitle,
} from '../../budget/limits'
import { ADMIN_PATH, Link, USAGE_PATH } from '../router'
import { usePopover } from '../usePopover'
import { BudgetBar, budgetState } from './BudgetBar'

/**
 * Always in the header: credits left this month out of the allowance, with a small bar and what
 * running jobs hold. Opens a panel with the period's figures and a link to the usage page.
 */
export function BudgetMeter() {
	const budget = useBudget()
	const { value: credits, error } = useCreditsSnapshot()
	const popover = usePopover()
	if (!budget) return null
	if (!credits) {
		return (
			<div className="budget-meter" data-testid="budget-meter" data-state="loading">
				<span
					className="budget-meter__button budget-meter__button--idle"
					title={error ?? undefined}
				>
					<span className="budget-meter__figures muted">
						{error ? 'Credits unavailable' : '— credits'}
					</span>
					<span className="budget-bar budget-bar--small" aria-hidden="true" />
				</span>
			</div>
		)
	}
	const state = budgetState(credits)
	const out = checkSpend(credits, 0, { isAdmin: budget.user.isAdmin })
	const renewal = nextRenewal(credits.period)
	const label = `Credits: ${formatCredits(credits.balance)} of ${formatCredits(credits.allowance)} left${
		credits.reserved > 0 ? `, ${formatCredits(credits.reserved)} held by running jobs` : ''
	}. Show details.`
	return (
		<div
			className={`budget-meter budget-meter--${state}`}
			data-testid="budget-meter"
			data-state={state}
			data-balance={credits.balance}
			data-allowance={credits.allowance}
			data-reserved={credits.reserved}
		>
			<button
				type="button"
				className="budget-meter__button"
				aria-haspopup="dialog"
				aria-label={label}
				title="Your credits this month"
				data-testid="budget-meter-button"
				{...popover.triggerProps}
			>
				<span className="budget-meter__figures">
					<span className="budget-meter__balance" data-testid="budget-meter-balance">
						{formatCredits(credits.balance)}
					</span>
					<span className="budget-meter__of">/ {formatCredits(credits.allowance)}</span>
					<span className="budget-meter__unit">credits</span>
					{credits.reserved > 0 && (
						<span className="budget-meter__held" data-testid="budget-meter-reserved">
							{formatCredits(credits.reserved)} held
						</span>
					)}
				</span>
				<BudgetBar credits={credits} size="small" testId="budget-meter-bar" />
			</button>
			{popover.open && (
				<div
					className="budget-popover"
					role="dialog"
					aria-label="Your credits"
					data-testid="budget-popover"
					{...popover.panelProps}
				>
					<div className="eyebrow">Credits · {periodTitle(credits.period)}</div>
					<p className="budget-popover__headline">
						<strong>{formatCredits(credits.balance)}</strong> of {creditsText(credits.allowance)}{' '}
						left
					</p>
					<BudgetBar credits={credits} />
					<dl className="budget-popover__figures">
						<dt>Spent this month</dt>
						<dd data-testid="budget-popover-spent">{creditsText(credits.spent)}</dd>
						<dt>Held by running jobs</dt>
						<dd data-testid="budget-popover-reserved">{creditsText(credits.reserved)}</dd>
						<dt>Monthly allowance</dt>
						<dd>{creditsText(credits.allowance)}</dd>
					</dl>
					<p className="budget-popover__note">
						{!out.ok
							? `${out.message}. ${out.detail}`
							: `Held credits come back if a job fails or is cancelled.${
									renewal ? ` Your allowance renews on ${renewal}.` : ''
								}`}
					</p>
					<div className="budget-popover__links">
						<Link
							to={USAGE_PATH}
							className="link-button"
							data-testid="budget-usage-link"
							onClick={() => popover.close()}
						>
							Your usage →
						</Link>
						{budget.user.isAdmin && (
							<Link
								to={ADMIN_PATH}
								className="link-button"
								data-testid="budget-admin-link"
								onClick={() => popover.close()}
							>
								Admin
							</Link>
						)}
					</div>
				</div>
			)}
		</div>
	)
}
