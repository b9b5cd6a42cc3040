import { z } from 'zod'
import { CreditsSchema, LedgerEntrySchema, UsageRowSchema, UserSchema } from '../../shared/api'

export { LEDGER_KINDS, type LedgerEntry, LedgerEntrySchema } from '../../shared/api'

// Response bodies of the budget endpoints, parsed at the edge like every other answer. Payloads
// shared/api.ts already names (credits, usage rows) come from there; the rest is described here
// until the server exports schemas for them.

export const MeBodySchema = z.object({
	user: UserSchema,
	/** Present once budgets exist on the server; older servers answer with the user alone. */
	credits: CreditsSchema.optional(),
})
export type MeBody = z.infer<typeof MeBodySchema>

export const UserUsageSchema = z.object({
	period: z.string(),
	byBoard: z.array(UsageRowSchema),
	byOp: z.array(UsageRowSchema),
	entries: z.array(LedgerEntrySchema),
})
export type UserUsage = z.infer<typeof UserUsageSchema>
export const UserUsageBodySchema = z.object({ usage: UserUsageSchema })

export const BoardUsageSchema = z.object({
	budgetCap: z.number().nullable(),
	spent: z.number(),
	byMember: z.array(UsageRowSchema),
	byOp: z.array(UsageRowSchema),
})
export type BoardUsage = z.infer<typeof BoardUsageSchema>

export const AdminUserSchema = z.object({
	id: z.string(),
	email: z.string(),
	name: z.string(),
	isAdmin: z.boolean(),
	/** A share link's guest (no account); absent from older servers. */
	isGuest: z.boolean().optional(),
	/** Null: the instance default (`ARBOR_MONTHLY_CREDITS`) applies. */
	monthlyAllowance: z.number().nullable(),
	credits: CreditsSchema,
})
export type AdminUser = z.infer<typeof AdminUserSchema>
export const AdminUsersBodySchema = z.object({ users: z.array(AdminUserSchema) })
export const AdminGrantBodySchema = z.object({ credits: CreditsSchema })

/** One op of the catalogue as `GET /api/ops` lists it; `price` is what a default run costs. */
export const OpInfoSchema = z.object({
	name: z.string(),
	label: z.string(),
	description: z.string(),
	loop: z.enum(['explore', 'commit']),
	yields: z.string(),
	cost: z.number(),
	price: z.number(),
})
export type OpInfo = z.infer<typeof OpInfoSchema>
export const OpsBodySchema = z.object({ ops: z.array(OpInfoSchema) })
