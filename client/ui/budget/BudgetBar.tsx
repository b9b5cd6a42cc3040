import type { Credits } from '../../../shared/api'

/** The bar's three parts, as fractions of its width: spendable, held by unfinished jobs, gone. */
export function budgetBarParts(credits: Pick<Credits, 'balance' | 'allowance' | 'reserved'>) {
	const balance = Math.max(0, credits.balance)
	const held = Math.max(0, credits.reserved)
	const total = Math.max(credits.allowance, balance + held, 1)
	return { balance: balance / total, held: held / total }
}

/**
 * Credits left, with what running jobs hold striped after it (it comes back if they fail).
 * `size="small"` sits in a header; the default is for panels and pages.
 */
export function BudgetBar(props: {
	credits: Pick<Credits, 'balance' | 'allowance' | 'reserved'>
	size?: 'small' | 'medium'
	testId?: string
}) {
	const parts = budgetBarParts(props.credits)
	return (
		<span
			className={`budget-bar budget-bar--${props.size ?? 'medium'}`}
			data-testid={props.testId}
			aria-hidden="true"
		>
			<span className="budget-bar__balance" style={{ width: `${parts.balance * 100}%` }} />
			<span className="budget-bar__held" style={{ width: `${parts.held * 100}%` }} />
		</span>
	)
}

/** How the meter is coloured: calm, running low (under a fifth of the allowance), or empty. */
export function budgetState(credits: Pick<Credits, 'balance' | 'allowance'>): 'ok' | 'low' | 'out' {
	if (credits.balance <= 0) return 'out'
	if (credits.allowance > 0 && credits.balance < credits.allowance * 0.2) return 'low'
	return 'ok'
}
