import type { ConnectionState } from '../../board/connection'

/**
 * Over a guest's canvas when the server closed their socket for good: for a guest that means the
 * link was revoked or expired, and only the owner can help. (Members see ConnectionNotice.)
 */
export function GuestLostAccess({ connection }: { connection: ConnectionState }) {
	if (connection.kind !== 'refused') return null
	return (
		<div className="connection-notice" data-testid="guest-lost-access" data-code={connection.code}>
			<div className="notice-card">
				<h2>You no longer have access</h2>
				<p>
					The link you joined with was revoked or has expired, so this board is closed to you now.
					Ask the board’s owner for a new link.
				</p>
			</div>
		</div>
	)
}
