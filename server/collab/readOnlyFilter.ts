import { canEdit } from '../../shared/api'
import type { ClientMessage } from './messages'
import type { CollabRole } from './upgradeAuth'

/**
 * Whether a connection with `role` may have `message` applied. Viewers (and clients) read: they ask for the doc
 * (sync step 1), show presence (awareness) and query it; their sync step 2 and updates — the only
 * messages that write the doc — are dropped here, on the server, whatever their UI does.
 *
 * Dropping (rather than closing) keeps a viewer whose client answers the server's sync step 1
 * connected; its own doc just never reaches anyone else.
 */
export function canApply(role: CollabRole, message: ClientMessage): boolean {
	if (canEdit(role)) return true
	return message.type !== 'syncStep2' && message.type !== 'update'
}
