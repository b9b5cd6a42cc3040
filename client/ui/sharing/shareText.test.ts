import { describe, expect, it } from 'vitest'
import type { AuditEntry, ShareLink } from '../../../shared/sharing'
import { relativeTime } from '../relativeTime'
import {
	auditSentence,
	expiryToIso,
	guestsText,
	LANDING_ROLE_TEXT,
	linkStatus,
	timeUntil,
} from './shareText'

const NOW = Date.parse('2026-11-27T12:00:00.000Z')
const MIN = 60_000
const DAY = 24 * 60 * MIN

describe('expiryToIso', () => {
	it('gives null for a link that never expires', () => {
		expect(expiryToIso('never', { now: NOW })).toEqual({ ok: true, expiresAt: null })
	})

	it.each([
		['1d', NOW + DAY],
		['7d', NOW + 7 * DAY],
	] as const)('turns %s into an ISO time that far ahead', (preset, at) => {
		expect(expiryToIso(preset, { now: NOW })).toEqual({
			ok: true,
			expiresAt: new Date(at).toISOString(),
		})
	})

	it('ends a custom date at the last millisecond of that local day', () => {
		const result = expiryToIso('custom', { now: NOW, customDate: '2026-12-24' })
		expect(result).toEqual({
			ok: true,
			expiresAt: new Date(2026, 11, 24, 23, 59, 59, 999).toISOString(),
		})
	})

	it('refuses a missing, malformed or past custom date with a sentence', () => {
		for (const customDate of [undefined, '', '24/12/2026', '2020-01-01']) {
			const result = expiryToIso('custom', { now: NOW, customDate })
			expect(result.ok).toBe(false)
			if (!result.ok) expect(result.message).toMatch(/day/i)
		}
	})
})

describe('relativeTime and timeUntil', () => {
	it.each([
		[NOW - 10_000, 'just now'],
		[NOW - 2 * MIN, '2 min ago'],
		[NOW - 3 * 60 * MIN, '3 h ago'],
		[NOW - DAY, 'yesterday'],
		[NOW - 4 * DAY, '4 days ago'],
	])('says %s as "%s"', (at, words) => {
		expect(relativeTime(new Date(at).toISOString(), NOW)).toBe(words)
	})

	it('counts down to an expiry', () => {
		const iso = (ms: number) => new Date(NOW + ms).toISOString()
		expect(timeUntil(iso(5 * MIN), NOW)).toBe('in 5 min')
		expect(timeUntil(iso(5 * 60 * MIN), NOW)).toBe('in 5 h')
		expect(timeUntil(iso(DAY), NOW)).toBe('tomorrow')
		expect(timeUntil(iso(6 * DAY), NOW)).toBe('in 6 days')
	})
})

function link(overrides: Partial<ShareLink>): ShareLink {
	return {
		id: 'lnk_1',
		role: 'viewer',
		label: '',
		createdBy: { id: 'usr_1', name: 'Ana' },
		createdAt: new Date(NOW - DAY).toISOString(),
		expiresAt: null,
		revokedAt: null,
		state: 'active',
		guests: 0,
		...overrides,
	}
}

describe('linkStatus', () => {
	it('labels an open-ended active link', () => {
		expect(linkStatus(link({}), NOW)).toEqual({
			state: 'active',
			label: 'Active',
			detail: 'Never expires',
		})
	})

	it('says when an active link expires', () => {
		const expiresAt = new Date(NOW + 7 * DAY).toISOString()
		expect(linkStatus(link({ expiresAt }), NOW).detail).toBe('Expires in 7 days')
	})

	it('labels a revoked link, even one that also expired', () => {
		const status = linkStatus(
			link({
				state: 'revoked',
				revokedAt: new Date(NOW - 2 * MIN).toISOString(),
				expiresAt: new Date(NOW - MIN).toISOString(),
			}),
			NOW,
		)
		expect(status).toEqual({ state: 'revoked', label: 'Revoked', detail: 'Revoked 2 min ago' })
	})

	it('treats a link past its expiry as expired before the server says so', () => {
		const status = linkStatus(link({ expiresAt: new Date(NOW - 4 * DAY).toISOString() }), NOW)
		expect(status).toEqual({ state: 'expired', label: 'Expired', detail: 'Expired 4 days ago' })
	})

	it('counts guests in words', () => {
		expect([0, 1, 3].map(guestsText)).toEqual([
			'No one joined yet',
			'1 guest joined',
			'3 guests joined',
		])
	})
})

function entry(action: AuditEntry['action'], detail: Record<string, unknown>, target?: string) {
	return {
		id: 1,
		actor: { id: 'usr_ana', name: 'Ana' },
		action,
		target: target ?? null,
		detail,
		at: new Date(NOW).toISOString(),
	} as AuditEntry
}

describe('auditSentence', () => {
	const names = new Map([['usr_ben', 'Ben']])

	it.each([
		[entry('share_link.revoked', { role: 'viewer' }), 'Ana revoked a viewer link'],
		[
			entry('share_link.created', { role: 'client', label: 'Acme review' }),
			'Ana created client link “Acme review”',
		],
		[
			entry('share_link.joined', { name: 'Guest Gil', role: 'viewer' }),
			'Guest Gil joined through a viewer link',
		],
		[entry('member.added', { role: 'editor' }, 'usr_ben'), 'Ana added Ben as an editor'],
		[
			entry('member.added', { name: 'Ana', role: 'editor', via: 'invitation' }, 'usr_ana'),
			'Ana accepted an invitation as an editor',
		],
		[
			entry('member.invited', { email: 'cy@x.io', role: 'viewer' }),
			'Ana invited cy@x.io as a viewer',
		],
		[
			entry('invitation.revoked', { email: 'cy@x.io', role: 'viewer' }),
			'Ana withdrew the invitation to cy@x.io',
		],
		[entry('invitation.declined', { email: 'cy@x.io' }), 'Ana declined an invitation'],
		[
			entry('member.role_changed', { role: 'viewer', previous: 'editor' }, 'usr_ben'),
			'Ana made Ben a viewer',
		],
		[
			entry('member.removed', { previous: 'editor' }, 'usr_gone'),
			'Ana removed a member from the board',
		],
		[
			entry('member.removed', { name: 'Ben', email: 'ben@x.io', previous: 'editor' }, 'usr_gone'),
			'Ana removed Ben from the board',
		],
		[
			entry('member.added', { name: 'Benedict', email: 'b@x.io', role: 'viewer' }, 'usr_ben'),
			'Ana added Benedict as a viewer',
		],
		[
			entry('member.role_changed', { email: 'cy@x.io', role: 'editor' }, 'usr_cy'),
			'Ana made cy@x.io an editor',
		],
		[entry('decision.set', { state: 'approved' }), 'Ana approved an image'],
		[entry('pick.committed', {}), 'Ana committed a pick'],
		[entry('publication.added', {}), 'Ana published an image to the client view'],
		[
			entry('client_view.updated', { showPrompts: true, showCosts: false }),
			'Ana turned on prompts and turned off costs for clients',
		],
		[entry('client_view.updated', {}), 'Ana changed the client view'],
	])('reads %#: "%s"', (audit, sentence) => {
		expect(auditSentence(audit as AuditEntry, names)).toBe(sentence)
	})

	it('names the system when there is no actor', () => {
		expect(auditSentence({ ...entry('pick.committed', {}), actor: null })).toBe(
			'Arbor committed a pick',
		)
	})
})

describe('LANDING_ROLE_TEXT', () => {
	it('speaks to the person holding the link, never of them in the third person', () => {
		for (const [role, text] of Object.entries(LANDING_ROLE_TEXT)) {
			expect(text.invited, role).toMatch(/^You/)
			expect(text.fact, role).toMatch(/^You/)
			expect(`${text.invited} ${text.fact}`, role).not.toMatch(
				/\b(Sees|Generates|a client|the client)\b/,
			)
		}
	})
})
