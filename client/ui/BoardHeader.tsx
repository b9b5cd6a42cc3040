import type { Board, Role } from '../../shared/api'
import { type ConnectionState, connectionLabel } from '../board/connection'
import type { Person } from '../board/presence'
import { Avatar } from './Avatar'
import { Link } from './router'

const MAX_AVATARS = 5
const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', editor: 'Editor', viewer: 'View only' }

interface BoardHeaderProps {
	board: Board
	role: Role
	connection: ConnectionState
	people: Person[]
}

/** Where you are, who is here with you, and whether the board is live. */
export function BoardHeader({ board, role, connection, people }: BoardHeaderProps) {
	const shown = people.slice(0, MAX_AVATARS)
	const hidden = people.length - shown.length
	return (
		<header className="board-header">
			<div className="board-header__left">
				<Link to="/" className="back-link" data-testid="back-to-boards" aria-label="All boards">
					<span aria-hidden="true">←</span> Boards
				</Link>
				<span className="board-header__divider" aria-hidden="true" />
				<h1 className="board-header__name" data-testid="board-name">
					{board.name}
				</h1>
				<span className={`role-badge role-badge--${role}`} data-testid="role-badge">
					{ROLE_LABELS[role]}
				</span>
			</div>
			<div className="board-header__right">
				<ul className="presence-list" data-testid="presence-avatars" aria-label="People here">
					{shown.map((person) => (
						<li
							key={person.id}
							data-testid="presence-avatar"
							data-user-id={person.id}
							data-self={person.isSelf ? 'true' : 'false'}
						>
							<Avatar
								name={person.name}
								label={person.isSelf ? `${person.name} (you)` : person.name}
								color={person.color}
								size="small"
							/>
						</li>
					))}
					{hidden > 0 && <li className="presence-list__more">+{hidden}</li>}
				</ul>
				<span
					className={`connection connection--${connection.kind}`}
					data-testid="connection-status"
					data-state={connection.kind}
					title={connection.kind === 'refused' ? connection.message : undefined}
				>
					<span className="connection__dot" aria-hidden="true" />
					{connectionLabel(connection)}
				</span>
			</div>
		</header>
	)
}
