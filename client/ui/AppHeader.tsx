import type { User } from '../../shared/api'
import { BudgetMeter } from './budget/BudgetMeter'
import { Link } from './router'
import { UserMenu } from './UserMenu'

/** The header of every page outside a board: home, credits, the person's menu. */
export function AppHeader({ user, onSignOut }: { user: User; onSignOut(): void }) {
	return (
		<header className="app-header">
			<Link to="/" className="wordmark" data-testid="home-link">
				Arbor
			</Link>
			<div className="app-header__right">
				<BudgetMeter />
				<UserMenu user={user} onSignOut={onSignOut} />
			</div>
		</header>
	)
}
