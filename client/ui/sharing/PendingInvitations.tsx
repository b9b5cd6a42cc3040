import type { BoardInvitation } from '../../../shared/sharing'
import { Avatar } from '../Avatar'

const ROLE_NAMES = { editor: 'an editor', viewer: 'a viewer' } as const

/**
 * The owner's pending invitations, under the members: who was invited, as what, and a way to
 * withdraw. They become members when they accept.
 */
export function PendingInvitations(props: {
	invitations: BoardInvitation[]
	onWithdraw(invitation: BoardInvitation): void
}) {
	if (props.invitations.length === 0) return null
	return (
		<ul className="share-list" data-testid="invitation-list" aria-label="Invited, not yet joined">
			{props.invitations.map((invitation) => (
				<li
					key={invitation.id}
					className="share-row share-row--invited"
					data-testid="invitation-row"
					data-invitation-id={invitation.id}
					data-email={invitation.email}
				>
					<span className="share-row__avatar">
						<Avatar name={invitation.email} color="#9aa0a6" />
					</span>
					<span className="share-row__main">
						<span className="share-row__title">{invitation.email}</span>
						<span className="share-row__meta">
							Invited as {ROLE_NAMES[invitation.role]}: joins on accepting
						</span>
					</span>
					<span className="share-row__actions">
						<span className="role-badge role-badge--invited" data-testid="invitation-badge">
							Invited
						</span>
						<button
							type="button"
							className="arbor-button arbor-button--small arbor-button--quiet-danger"
							data-testid="invitation-withdraw"
							onClick={() => props.onWithdraw(invitation)}
						>
							Withdraw
						</button>
					</span>
				</li>
			))}
		</ul>
	)
}
