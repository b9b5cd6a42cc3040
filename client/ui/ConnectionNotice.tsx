import { CLOSE_CODES } from '../../shared/collab'
import type { ConnectionState } from '../board/connection'
import { Link } from './router'

/** Shown over the canvas when the live connection cannot continue. */
export function ConnectionNotice(props: { connection: ConnectionState; onSignInAgain(): void }) {
	const { connection } = props
	if (connection.kind === 'outdated') {
		return (
			<div className="connection-notice" data-testid="board-outdated">
				<div className="notice-card">
					<h2>Arbor was updated</h2>
					<p>This board was saved by a newer version. Reload to keep working on it.</p>
					<button
						type="button"
						className="arbor-button arbor-button--primary"
						onClick={() => location.reload()}
					>
						Reload
					</button>
				</div>
			</div>
		)
	}
	if (connection.kind !== 'refused') return null
	return (
		<div className="connection-notice" data-testid="board-refused" data-code={connection.code}>
			<div className="notice-card">
				<h2>Disconnected from this board</h2>
				<p>{connection.message}</p>
				{connection.code === CLOSE_CODES.unauthenticated ? (
					<button
						type="button"
						className="arbor-button arbor-button--primary"
						onClick={props.onSignInAgain}
					>
						Sign in again
					</button>
				) : (
					<Link to="/" className="arbor-button">
						Back to your boards
					</Link>
				)}
			</div>
		</div>
	)
}
