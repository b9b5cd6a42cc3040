import { z } from 'zod'
import type { PolicyRuleCreateSchema } from '../../shared/api'
import { request } from './client'

/** One rule of the instance's prompt policy (`GET /api/admin/policy`). */
export const PolicyRuleSchema = z.object({
	id: z.number(),
	kind: z.enum(['term', 'pattern']),
	value: z.string(),
	note: z.string().nullable(),
})
export type PolicyRule = z.infer<typeof PolicyRuleSchema>

const RulesBody = z.object({ rules: z.array(PolicyRuleSchema) })
const RuleBody = z.object({ rule: PolicyRuleSchema })

/** The instance's prompt policy, for admins. */
export const policyApi = {
	list: (signal?: AbortSignal) =>
		request('/api/admin/policy', { schema: RulesBody, signal }).then((b) => b.rules),
	add: (body: z.input<typeof PolicyRuleCreateSchema>) =>
		request('/api/admin/policy', { method: 'POST', body, schema: RuleBody }).then((b) => b.rule),
	remove: (id: number) => request(`/api/admin/policy/${id}`, { method: 'DELETE' }),
}
