import { type AccessRole, canEdit, type User } from '../../../shared/api'
import type { ClientViewSettings } from '../../../shared/sharing'

/** Which parts of the board page a person gets, from their role on the board and their account. */
export interface BoardChrome {
	/** The prompt bar: only people who can generate. */
	promptBar: boolean
	/** The queue toggle and panel. */
	queue: boolean
	/** The finals toggle and panel. */
	finals: boolean
	/** The board usage panel (owners and editors). */
	usage: boolean
	/** The credits meter: not for guests or clients, who spend no credits of their own. */
	budget: boolean
	/** The share dialog: the full one for owners, a read-only member list for members. */
	share: 'manage' | 'view' | null
	/** "← Boards": guests and clients have no board list. */
	backLink: boolean
	/** The pill beside the board's name. */
	pill: { label: string; tone: AccessRole } | null
}

/**
 * The board chrome for a role. A client gets a clean presentation canvas (no prompt bar, queue,
 * finals, usage or credits); a viewer gets everything that only looks, and a "View only" pill.
 * The server enforces all of it; this only keeps the UI from offering what would be refused.
 */
export function boardChrome(role: AccessRole, user: Pick<User, 'isGuest'>): BoardChrome {
	const isClient = role === 'client'
	const editable = canEdit(role)
	return {
		promptBar: editable,
		queue: !isClient,
		finals: !isClient,
		usage: editable && !user.isGuest,
		budget: !isClient && !user.isGuest,
		share: role === 'owner' ? 'manage' : isClient || user.isGuest ? null : 'view',
		backLink: !isClient && !user.isGuest,
		pill: isClient ? null : { label: ROLE_PILLS[role], tone: role },
	}
}

const ROLE_PILLS: Record<Exclude<AccessRole, 'client'>, string> = {
	owner: 'Owner',
	editor: 'Editor',
	viewer: 'View only',
}

/** The client header's line: "Shared by Ana · view + comment". */
export function clientReviewLine(options: {
	ownerName?: string | null
	clientView?: ClientViewSettings | null
}): string {
	const mode = options.clientView?.allowComments ? 'view + comment' : 'view only'
	return options.ownerName
		? `Shared by ${options.ownerName} · ${mode}`
		: `Shared with you · ${mode}`
}
