import { eq } from 'drizzle-orm'
import type { UserRow } from '../context'
import type { Db } from '../db/client'
import { users } from '../db/schema'

/** Sets a user's own monthly allowance (null: the instance default). */
export function userSetLimits(
	db: Db,
	userId: string,
	limits: { monthlyAllowance: number | null },
): UserRow {
	return db.update(users).set(limits).where(eq(users.id, userId)).returning().get()
}
