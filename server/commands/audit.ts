import type { AuditAction } from '../../shared/sharing'
import type { Db } from '../db/client'
import { auditLog } from '../db/schema'

/** A drizzle handle or the transaction a command is in: audit in the same transaction as the act. */
type Writer = Pick<Db, 'insert'>

export interface AuditInput {
	boardId: string
	/** Who did it; null for the system. */
	actorId: string | null
	action: AuditAction
	/** What it was done to: a user, link or image id. */
	target?: string | null
	detail?: Record<string, unknown>
}

/**
 * Appends one audit record. Call it inside the command's transaction so the act and its record
 * land together or not at all.
 * @example recordAudit(tx, { boardId, actorId: user.id, action: 'member.removed', target: userId })
 */
export function recordAudit(db: Writer, input: AuditInput): void {
	db.insert(auditLog)
		.values({
			boardId: input.boardId,
			actorId: input.actorId,
			action: input.action,
			target: input.target ?? null,
			detail: input.detail ?? {},
		})
		.run()
}
