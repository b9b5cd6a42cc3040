import type { User } from '../../../shared/api'
import { Avatar } from '../Avatar'
import { boardPath, Link } from '../router'
import { recallGuestBoard } from './guestBoard'
import './sharing.css'

/**
 * `/` for a guest: they have no board list, usage or admin pages, only the board their link
 * opened. Points back to it, or explains how to get back.
 */
export function GuestHome({ user, onSignOut }: { user: User; onSignOut(): void }) {
	const board = recallGuestBoard()
	return (
		<div className="list-page">
			<header className="app-header">
				<span className="wordmark">Arbor</span>
				<div className="app-header__right">
					<span className="header-guest" data-testid="guest-identity">
						<Avatar name={user.name} color={user.color} size="small" />
						<span data-testid="current-user">{user.name}</span>
						<span className="role-badge role-badge--guest" data-testid="guest-badge">
							Guest
						</span>
					</span>
					<button type="button" className="arbor-button arbor-button--small" onClick={onSignOut}>
						Leave
					</button>
				</div>
			</header>
			<main className="centered-page">
				<div className="notice-card" data-testid="guest-home">
					<h1>You’re here as a guest</h1>
					{board ? (
						<>
							<p>
								Your link opens <strong>{board.name}</strong>. Guests don’t have a board list of
								their own.
							</p>
							<Link
								to={boardPath(board.id)}
								className="arbor-button arbor-button--primary"
								data-testid="guest-board-link"
							>
								Back to {board.name}
							</Link>
						</>
					) : (
						<p>
							Guests can open only the board their link leads to. Open the link you were sent again
							to get back to it.
						</p>
					)}
				</div>
			</main>
		</div>
	)
}
