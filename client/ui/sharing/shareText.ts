import type { AccessRole } from '../../../shared/api'
import type { AuditEntry, ShareLink, ShareLinkRole } from '../../../shared/sharing'
import { relativeTime } from '../relativeTime'

/** Pure words and times for the sharing UI: tested without a browser. */

export const EXPIRY_PRESETS = ['never', '1d', '7d', 'custom'] as const
export type ExpiryPreset = (typeof EXPIRY_PRESETS)[number]

export const EXPIRY_LABELS: Record<ExpiryPreset, string> = {
	never: 'Never',
	'1d': '1 day',
	'7d': '7 days',
	custom: 'Pick a date',
}

const DAY = 24 * 60 * 60 * 1000

export type ExpiryResult = { ok: true; expiresAt: string | null } | { ok: false; message: string }

/**
 * A link's expiry as the API takes it: null (lasts until revoked) or an ISO time. A custom date
 * (`YYYY-MM-DD`, from a date input) means the end of that day in the person's time zone.
 */
export function expiryToIso(
	preset: ExpiryPreset,
	options: { now: number; customDate?: string },
): ExpiryResult {
	switch (preset) {
		case 'never':
			return { ok: true, expiresAt: null }
		case '1d':
			return { ok: true, expiresAt: new Date(options.now + DAY).toISOString() }
		case '7d':
			return { ok: true, expiresAt: new Date(options.now + 7 * DAY).toISOString() }
		case 'custom': {
			const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.customDate ?? '')
			if (!match) return { ok: false, message: 'Pick the day the link should stop working.' }
			const end = new Date(
				Number(match[1]),
				Number(match[2]) - 1,
				Number(match[3]),
				23,
				59,
				59,
				999,
			)
			if (Number.isNaN(end.getTime()))
				return { ok: false, message: 'That date doesn’t exist. Pick another day.' }
			if (end.getTime() <= options.now)
				return { ok: false, message: 'That day has passed. Pick today or a later day.' }
			return { ok: true, expiresAt: end.toISOString() }
		}
	}
}

/** "in 5 h", "tomorrow", "in 6 days"; what is left of a link's life. */
export function timeUntil(iso: string, now: number): string {
	const then = Date.parse(iso)
	if (Number.isNaN(then)) return iso
	const minutes = Math.max(1, Math.round((then - now) / 60_000))
	if (minutes < 60) return `in ${minutes} min`
	const hours = Math.round(minutes / 60)
	if (hours < 24) return `in ${hours} h`
	const days = Math.round(hours / 24)
	return days === 1 ? 'tomorrow' : `in ${days} days`
}

export const LINK_ROLE_LABELS: Record<ShareLinkRole, string> = {
	viewer: 'Viewer',
	editor: 'Editor',
	client: 'Client',
}

export const LINK_ROLE_HINTS: Record<ShareLinkRole, string> = {
	viewer: 'Sees the whole board live, can’t change it',
	editor: 'Generates and arranges; jobs are charged to you',
	client: 'Sees only published picks, no prompts or costs',
}

/**
 * The share landing, spoken to the person holding the link ("you"), where the share dialog's
 * hints above speak to the owner about them.
 */
export const LANDING_ROLE_TEXT: Record<ShareLinkRole, { invited: string; fact: string }> = {
	viewer: {
		invited: 'You’re invited to look at',
		fact: 'You’ll see the whole board live, as it changes; you can’t change it',
	},
	editor: {
		invited: 'You’re invited to work on',
		fact: 'You can generate and arrange; your jobs are charged to whoever shared the link',
	},
	client: {
		invited: 'You’re invited to review',
		fact: 'You’ll see the picks shared with you and where each came from',
	},
}

export interface LinkStatus {
	state: ShareLink['state']
	/** The pill: Active, Expired, Revoked. */
	label: string
	/** When it stops, stopped, or that it doesn't. */
	detail: string
}

/** A link's state as the list shows it; the server's state wins, times are the client's. */
export function linkStatus(link: ShareLink, now: number): LinkStatus {
	if (link.state === 'revoked') {
		return {
			state: 'revoked',
			label: 'Revoked',
			detail: link.revokedAt ? `Revoked ${relativeTime(link.revokedAt, now)}` : 'Revoked',
		}
	}
	if (link.state === 'expired' || (link.expiresAt && Date.parse(link.expiresAt) <= now)) {
		return {
			state: 'expired',
			label: 'Expired',
			detail: link.expiresAt ? `Expired ${relativeTime(link.expiresAt, now)}` : 'Expired',
		}
	}
	return {
		state: 'active',
		label: 'Active',
		detail: link.expiresAt ? `Expires ${timeUntil(link.expiresAt, now)}` : 'Never expires',
	}
}

export function guestsText(count: number): string {
	if (count === 0) return 'No one joined yet'
	return count === 1 ? '1 guest joined' : `${count} guests joined`
}

const ARTICLE_ROLE: Record<string, string> = {
	viewer: 'a viewer',
	editor: 'an editor',
	client: 'a client',
	owner: 'an owner',
}

const DECISION_WORDS: Record<string, string> = {
	none: 'cleared the mark on',
	starred: 'starred',
	approved: 'approved',
	rejected: 'rejected',
	committed: 'committed',
}

const SETTING_WORDS: Record<string, string> = {
	showPrompts: 'prompts',
	showSeeds: 'seeds',
	showCosts: 'costs',
	allowComments: 'comments',
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/**
 * The person an entry is about. The server records member entries with the person's name (and
 * email) as they were then: that wins, because a removed member is in no member list. Entries
 * written before it did fall back to the target's current name, else "a member".
 */
function subject(entry: AuditEntry, names?: ReadonlyMap<string, string>): string {
	const { detail, target } = entry
	return (
		text(detail.name) ??
		text(detail.email) ??
		(target ? names?.get(target) : undefined) ??
		'a member'
	)
}

function linkNoun(detail: Record<string, unknown>): string {
	const role = text(detail.role)
	const label = text(detail.label)
	const noun = role && role in LINK_ROLE_LABELS ? `${role} link` : 'link'
	return label ? `${noun} “${label}”` : `a ${noun}`
}

/**
 * One audit entry as a sentence without its time: "Ana revoked a viewer link". Unknown detail is
 * left out rather than guessed; `names` (user id → name, from the member list) names the person
 * an entry's target points at.
 */
export function auditSentence(entry: AuditEntry, names?: ReadonlyMap<string, string>): string {
	const who = entry.actor?.name ?? 'Arbor'
	const d = entry.detail
	const role = text(d.role)
	switch (entry.action) {
		case 'member.added':
			// Since invitations, a member joins by accepting one (their own act); `direct` adds remain.
			return d.via === 'invitation'
				? `${who} accepted an invitation${role ? ` as ${ARTICLE_ROLE[role] ?? role}` : ''}`
				: `${who} added ${subject(entry, names)}${role ? ` as ${ARTICLE_ROLE[role] ?? role}` : ''}`
		case 'member.invited':
			return `${who} invited ${text(d.email) ?? 'someone'}${role ? ` as ${ARTICLE_ROLE[role] ?? role}` : ''}`
		case 'invitation.revoked':
			return `${who} withdrew the invitation to ${text(d.email) ?? 'someone'}`
		case 'invitation.declined':
			return `${who} declined an invitation`
		case 'member.role_changed': {
			const to = text(d.to) ?? role
			return `${who} made ${subject(entry, names)} ${to ? (ARTICLE_ROLE[to] ?? to) : 'a different role'}`
		}
		case 'member.removed':
			return `${who} removed ${subject(entry, names)} from the board`
		case 'share_link.created':
			return `${who} created ${linkNoun(d)}`
		case 'share_link.revoked':
			return `${who} revoked ${linkNoun(d)}`
		case 'share_link.joined':
			return `${text(d.name) ?? who} joined through ${linkNoun(d)}`
		case 'decision.set': {
			const state = text(d.state)
			return `${who} ${(state && DECISION_WORDS[state]) ?? 'marked'} an image`
		}
		case 'pick.committed':
			return `${who} committed a pick`
		case 'publication.added':
			return `${who} published an image to the client view`
		case 'publication.removed':
			return `${who} unpublished an image from the client view`
		case 'client_view.updated':
			return `${who} ${clientViewChange(d)}`
	}
}

function clientViewChange(detail: Record<string, unknown>): string {
	const shown: string[] = []
	const hidden: string[] = []
	for (const [key, word] of Object.entries(SETTING_WORDS)) {
		const value = detail[key]
		if (value === true) shown.push(word)
		if (value === false) hidden.push(word)
	}
	const parts = [
		shown.length ? `turned on ${shown.join(', ')}` : '',
		hidden.length ? `turned off ${hidden.join(', ')}` : '',
	].filter(Boolean)
	return parts.length ? `${parts.join(' and ')} for clients` : 'changed the client view'
}

export const ACCESS_ROLE_LABELS: Record<AccessRole, string> = {
	owner: 'Owner',
	editor: 'Editor',
	viewer: 'View only',
	client: 'Client review',
}
