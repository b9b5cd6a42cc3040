import type { ReactNode } from 'react'
import type { Board, User } from '../../shared/api'
import { type ConnectionState, connectionLabel } from '../board/connection'
import type { Person } from '../board/presence'
import { SHORTCUT_LABELS } from '../board/shortcuts'
import { Avatar } from './Avatar'
import { BudgetMeter } from './budget/BudgetMeter'
import type { BoardChrome } from './client/boardChrome'
import { Link } from './router'
import { ShareButton } from './sharing/ShareButton'
import './sharing/sharing.css'

const MAX_AVATARS = 5

interface BoardHeaderProps {
	board: Board
	user: User
	/** What this person's role and account show (see boardChrome). */
	chrome: BoardChrome
	/** Clients: "Shared by Ana · view only" in place of the tools. */
	clientLine?: string
	connection: ConnectionState
	people: Person[]
	/** Jobs queued or running on the board. */
	pending: number
	queueOpen: boolean
	onToggleQueue(): void
	usageOpen: boolean
	/** Owners and editors see the board's usage; absent for viewers. */
	onToggleUsage?: () => void
	finalsOpen: boolean
	/** Final (upscaled) images on the canvas. */
	finals: number
	onToggleFinals(): void
	/** Review controls (Present, the review summary), first among the tools. */
	reviewTools?: ReactNode
	/** Takes this person to where someone else is on the canvas (their avatar's click). */
	onJumpTo?: (person: Person) => void
}

/** Where you are, who is here with you, whether the board is live, its queue and your credits. */
export function BoardHeader(props: BoardHeaderProps) {
	const { board, user, chrome, connection, people } = props
	const shown = people.slice(0, MAX_AVATARS)
	const hidden = people.length - shown.length
	return (
		<header className="board-header">
			<div className="board-header__left">
				{chrome.backLink ? (
					<Link to="/" className="back-link" data-testid="back-to-boards" aria-label="All boards">
						<span aria-hidden="true">←</span> Boards
					</Link>
				) : (
					<span className="wordmark">Arbor</span>
				)}
				<span className="board-header__divider" aria-hidden="true" />
				<h1 className="board-header__name" data-testid="board-name">
					{board.name}
				</h1>
				{chrome.pill && (
					<span
						className={`role-badge role-badge--${chrome.pill.tone}`}
						data-testid="role-badge"
						title={
							chrome.promptBar
								? undefined
								: 'You can look around, select and inspect images; only editors can change this board.'
						}
					>
						{chrome.pill.label}
					</span>
				)}
				{props.clientLine !== undefined && (
					<span className="client-review" data-testid="client-review">
						<span className="client-review__kicker">Client review</span>
						<span className="client-review__line" data-testid="client-review-line">
							{props.clientLine}
						</span>
					</span>
				)}
			</div>
			<div className="board-header__right">
				<div className="board-header__tools">
					{props.reviewTools}
					{chrome.queue && (
						<button
							type="button"
							className={`header-button${props.queueOpen ? ' is-on' : ''}`}
							data-testid="queue-toggle"
							aria-pressed={props.queueOpen}
							title={`Queue — ${SHORTCUT_LABELS.queue}`}
							onClick={props.onToggleQueue}
						>
							Queue
							<span
								className={`count-badge${props.pending > 0 ? ' count-badge--busy' : ''}`}
								data-testid="queue-toggle-count"
							>
								{props.pending}
							</span>
						</button>
					)}
					{chrome.finals && (
						<button
							type="button"
							className={`header-button${props.finalsOpen ? ' is-on' : ''}`}
							data-testid="finals-toggle"
							aria-pressed={props.finalsOpen}
							title="Finals: every committed image with its lineage, and downloads"
							onClick={props.onToggleFinals}
						>
							Finals
							<span
								className={`count-badge${props.finals > 0 ? ' count-badge--final' : ''}`}
								data-testid="finals-toggle-count"
							>
								{props.finals}
							</span>
						</button>
					)}
					{props.onToggleUsage && chrome.usage && (
						<button
							type="button"
							className={`header-button${props.usageOpen ? ' is-on' : ''}`}
							data-testid="board-usage-toggle"
							aria-pressed={props.usageOpen}
							title="What this board cost, by member and operation"
							onClick={props.onToggleUsage}
						>
							Usage
						</button>
					)}
				</div>
				{chrome.share && (
					<ShareButton
						board={board}
						manage={chrome.share === 'manage'}
						people={people}
						selfId={user.id}
					/>
				)}
				<span className="board-header__divider" aria-hidden="true" />
				<ul className="presence-list" data-testid="presence-avatars" aria-label="People here">
					{shown.map((person) => (
						<li
							key={person.id}
							data-testid="presence-avatar"
							data-user-id={person.id}
							data-self={person.isSelf ? 'true' : 'false'}
						>
							{!person.isSelf && props.onJumpTo ? (
								<button
									type="button"
									className="presence-list__jump"
									data-testid="presence-jump"
									title={`Go to where ${person.name} is`}
									onClick={() => props.onJumpTo?.(person)}
								>
									<Avatar
										name={person.name}
										label={person.name}
										color={person.color}
										size="small"
									/>
								</button>
							) : (
								<Avatar
									name={person.name}
									label={person.isSelf ? `${person.name} (you)` : person.name}
									color={person.color}
									size="small"
								/>
							)}
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
				<span className="board-header__divider" aria-hidden="true" />
				{chrome.budget && <BudgetMeter />}
				{user.isGuest && (
					<span className="header-guest" data-testid="guest-identity">
						<Avatar name={user.name} color={user.color} size="small" />
						<span data-testid="current-user">{user.name}</span>
						<span className="role-badge role-badge--guest" data-testid="guest-badge">
							Guest
						</span>
					</span>
				)}
			</div>
		</header>
	)
}
