import type { AdminUser } from '../../api/budgetBodies'
import { formatCredits } from '../../budget/limits'

/**
 * The share links' guests, apart from the accounts: they have no email or allowance of their own
 * (what they generate is charged to the link's creator), so a row with "guest-…@guests.invalid"
 * and "0 · default" among the people only misled. Folded away; names and spending only.
 */
export function AdminGuests({ guests }: { guests: AdminUser[] }) {
	if (guests.length === 0) return null
	return (
		<details className="card admin-section admin-guests" data-testid="admin-guests">
			<summary className="card__heading">
				<h3>Link guests</h3>
				<span className="muted">
					{guests.length === 1 ? '1 guest' : `${guests.length} guests`} · joined through share
					links, no account or allowance; their jobs are charged to the link’s creator
				</span>
			</summary>
			<ul className="admin-guests__list">
				{guests.map((guest) => (
					<li key={guest.id} data-testid="admin-guest" data-user-id={guest.id}>
						<strong>{guest.name}</strong>
						{guest.credits.spent > 0 && (
							<span className="muted"> · spent {formatCredits(guest.credits.spent)}</span>
						)}
					</li>
				))}
			</ul>
		</details>
	)
}
