import { createHash } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { policyRules } from '../db/schema'
import { AppError, BadRequest, NotFound } from '../errors'
import { normalizeForPolicy } from './policyText'

export type PolicyRule = typeof policyRules.$inferSelect
export interface CheckRecord {
	name: string
	version: string
	outcome: string
}

export const POLICY_CHECK = 'prompt-policy'

/** The rule set's identity: the same rules give the same version, whatever their ids. */
function versionOf(rules: PolicyRule[]): string {
	const canonical = rules.map((r) => `${r.kind}:${r.value}`).sort()
	return `v1:${createHash('sha256').update(canonical.join('\n')).digest('hex').slice(0, 12)}`
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Whether a rule matches a text. Terms compare normalized text with the normalized term
 * (`normalizeForPolicy`), so disguised spellings match; patterns are tried on both the text as
 * written and normalized (an admin's pattern may target either).
 */
function matcherOf(rule: PolicyRule): (text: string, normalized: string) => boolean {
	if (rule.kind === 'term') {
		const term = escapeRegExp(normalizeForPolicy(rule.value))
		const re = new RegExp(`(^|[^\\p{L}\\p{N}])${term}($|[^\\p{L}\\p{N}])`, 'iu')
		return (_text, normalized) => re.test(normalized)
	}
	const re = new RegExp(rule.value, 'iu')
	return (text, normalized) => re.test(text) || re.test(normalized)
}

export function policyRulesList(db: Db): PolicyRule[] {
	return db.select().from(policyRules).orderBy(asc(policyRules.id)).all()
}

/**
 * Checks the texts of a request against the instance's policy. A match refuses the request with
 * 422, naming the rule; a pass is returned as a check record for the job's provenance.
 */
export function policyCheck(db: Db, texts: (string | null | undefined)[]): CheckRecord {
	const rules = policyRulesList(db)
	const version = versionOf(rules)
	const written = texts.filter((t): t is string => !!t)
	const normalized = written.map(normalizeForPolicy)
	for (const rule of rules) {
		const matches = matcherOf(rule)
		if (written.some((t, i) => matches(t, normalized[i]))) {
			const what =
				rule.kind === 'term'
					? `the blocked term “${rule.value}”`
					: `the blocked pattern /${rule.value}/`
			throw new AppError(
				'unprocessable',
				`This prompt matches ${what} of this instance's policy (rule ${rule.id}${rule.note ? `: ${rule.note}` : ''}).`,
			)
		}
	}
	return { name: POLICY_CHECK, version, outcome: rules.length ? 'passed' : 'passed (no rules)' }
}

export function policyRuleAdd(
	db: Db,
	input: { kind: 'term' | 'pattern'; value: string; note?: string },
	actorId: string,
): PolicyRule {
	if (input.kind === 'pattern') {
		try {
			new RegExp(input.value, 'iu')
		} catch (err) {
			throw BadRequest(`That pattern is not a valid regular expression: ${(err as Error).message}`)
		}
	}
	return db
		.insert(policyRules)
		.values({ ...input, note: input.note || null, createdBy: actorId })
		.returning()
		.get()
}

export function policyRuleRemove(db: Db, id: number): void {
	const removed = db.delete(policyRules).where(eq(policyRules.id, id)).returning().get()
	if (!removed) throw NotFound('The policy rule')
}
