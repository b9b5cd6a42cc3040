import type { AccessRole } from '../../../shared/api'
import type { GenerationShapeProps } from '../../../shared/shapes/generationShape'
import type { ClientViewSettings } from '../../../shared/sharing'

/** What a person may do in the review section for one image. The server enforces all of it. */
export interface ReviewAccess {
	/** Approve and reject. */
	decide: boolean
	/** Star and clear: the team's own marks. */
	mark: boolean
	/** Write comments and replies. */
	comment: boolean
	/** Resolve and reopen comments. */
	resolve: boolean
	/** Commit the pick (decision + upscale + lock). */
	commit: boolean
	/** Publish to (and withdraw from) the client view. */
	publish: boolean
}

const NOTHING: ReviewAccess = {
	decide: false,
	mark: false,
	comment: false,
	resolve: false,
	commit: false,
	publish: false,
}

/**
 * The review actions a role gets on an image, from the node that shows it:
 * - owners and editors decide, mark, comment, resolve and commit (never a final, never twice);
 *   only owners publish, and only finals;
 * - viewers only look (badges, history, comments);
 * - a client approves, rejects and comments on the picks shown to them (finals) when the owner
 *   allows comments, and nothing else.
 */
export function reviewAccess(options: {
	role: AccessRole
	clientView: ClientViewSettings | null
	node: Pick<GenerationShapeProps, 'kind' | 'status'> | null
	isCommitted: boolean
}): ReviewAccess {
	const { role, node } = options
	const isFinal = node?.kind === 'final'
	if (role === 'client') {
		const talk = !!options.clientView?.allowComments && isFinal
		return { ...NOTHING, decide: talk, comment: talk }
	}
	if (role === 'viewer') return NOTHING
	return {
		decide: true,
		mark: true,
		comment: true,
		resolve: true,
		commit: !isFinal && node?.status === 'done' && !options.isCommitted,
		publish: role === 'owner' && isFinal && node?.status === 'done',
	}
}
