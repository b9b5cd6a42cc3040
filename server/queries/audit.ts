import { and, desc, eq, lt } from 'drizzle-orm'
import type { AuditEntry } from '../../shared/sharing'
import type { Db } from '../db/client'
import { auditLog, users } from '../db/schema'
import { toIso } from '../ids'

/** A board's audit log, newest first, `limit` entries before `before` (an entry id) if given. */
export function auditOf(
	db: Db,
	boardId: string,
	options: { limit?: number; before?: number } = {},
): AuditEntry[] {
	const where =
		options.before === undefined
			? eq(auditLog.boardId, boardId)
			: and(eq(auditLog.boardId, boardId), lt(auditLog.id, options.before))
	return db
		.select({ entry: auditLog, actor: { id: users.id, name: users.name } })
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorId))
		.where(where)
		.orderBy(desc(auditLog.id))
		.limit(options.limit ?? 200)
		.all()
		.map(({ entry, actor }) => ({
			id: entry.id,
			actor: actor?.id ? { id: actor.id, name: actor.name } : null,
			action: entry.action,
			target: entry.target,
			detail: entry.detail,
			at: toIso(entry.createdAt) ?? '',
		}))
}
