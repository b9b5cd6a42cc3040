import { useState } from 'react'
import type { MyInvitation } from '../../shared/sharing'
import { sharingApi } from '../api/sharing'
import { describeError } from './describeError'
import { formatDate } from './formatDate'
import { boardPath, navigate } from './router'
import { useRemote } from './sharing/useRemote'
import { useToasts } from './Toasts'
import './invitations.css'

const AS_ROLE = { editor: 'an editor', viewer: 'a viewer' } as const

/**
 * Invitations waiting for this person, above their boards: a board reaches them only when they
 * accept (then it opens); declining makes the invitation go away. Nothing shows when none wait.
 */
export function InvitationsSection() {
	const invitations = useRemote(() => sharingApi.myInvitations(), 'mine')
	const toasts = useToasts()
	const [busy, setBusy] = useState<string | null>(null)
	if (invitations.state.status !== 'ready' || invitations.state.data.length === 0) return null

	const answer = async (invitation: MyInvitation, accept: boolean) => {
		setBusy(invitation.id)
		try {
			if (accept) {
				const { board } = await sharingApi.acceptInvitation(invitation.id)
				navigate(boardPath(board.id))
				return
			}
			await sharingApi.declineInvitation(invitation.id)
			invitations.set((list) => list.filter((i) => i.id !== invitation.id))
		} catch (error) {
			toasts.show('error', describeError(error))
			invitations.reload()
		}
		setBusy(null)
	}

	return (
		<section className="invitations" data-testid="invitations" aria-labelledby="invitations-title">
			<h2 id="invitations-title" className="invitations__title">
				Invitations
			</h2>
			<ul className="invitations__list">
				{invitations.state.data.map((invitation) => (
					<li
						key={invitation.id}
						className="invitation"
						data-testid="invitation"
						data-invitation-id={invitation.id}
						data-board-id={invitation.board.id}
					>
						<span className="invitation__text">
							<strong>{invitation.invitedBy.name}</strong> invited you to{' '}
							<strong>{invitation.board.name}</strong> as {AS_ROLE[invitation.role]}
							<span className="muted"> · {formatDate(invitation.createdAt)}</span>
						</span>
						<span className="invitation__actions">
							<button
								type="button"
								className="arbor-button arbor-button--small"
								data-testid="invitation-decline"
								disabled={busy === invitation.id}
								onClick={() => void answer(invitation, false)}
							>
								Decline
							</button>
							<button
								type="button"
								className="arbor-button arbor-button--primary arbor-button--small"
								data-testid="invitation-accept"
								disabled={busy === invitation.id}
								onClick={() => void answer(invitation, true)}
							>
								Accept
							</button>
						</span>
					</li>
				))}
			</ul>
		</section>
	)
}
