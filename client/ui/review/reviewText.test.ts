import { describe, expect, it } from 'vitest'
import type { Comment, Decision } from '../../../shared/review'
import { relativeTime } from '../relativeTime'
import {
	decisionSentence,
	finalPill,
	openCommentsText,
	summaryTally,
	threadComments,
} from './reviewText'

const NOW = Date.parse('2026-11-27T12:00:00Z')
const ago = (ms: number) => new Date(NOW - ms).toISOString()
const MIN = 60_000

const decision = (overrides: Partial<Decision>): Decision => ({
	id: 1,
	imageId: 'img_aaaaaaa',
	state: 'approved',
	previous: 'none',
	by: { id: 'usr_ana0001', name: 'Ana' },
	at: ago(2 * MIN),
	...overrides,
})

describe('relativeTime', () => {
	it.each([
		[10_000, 'just now'],
		[50_000, '1 min ago'],
		[2 * MIN, '2 min ago'],
		[59 * MIN, '59 min ago'],
		[3 * 60 * MIN, '3 h ago'],
		[30 * 60 * MIN, 'yesterday'],
		[4 * 24 * 60 * MIN, '4 days ago'],
	])('reads %i ms ago as “%s”', (ms, text) => {
		expect(relativeTime(ago(ms), NOW)).toBe(text)
	})

	it('falls back to the date after a week, and to the raw text for garbage', () => {
		expect(relativeTime('2026-10-01T10:00:00Z', NOW)).toMatch(/2026/)
		expect(relativeTime('not a date', NOW)).toBe('not a date')
	})

	it('never says “in the future” for a clock a little ahead', () => {
		expect(relativeTime(new Date(NOW + 5000).toISOString(), NOW)).toBe('just now')
	})
})

describe('decisionSentence', () => {
	it('names who, what, what it was before and when', () => {
		expect(decisionSentence(decision({ previous: 'starred' }), NOW)).toBe(
			'Ana approved · was starred · 2 min ago',
		)
	})

	it('leaves out an empty previous mark', () => {
		expect(decisionSentence(decision({ state: 'rejected' }), NOW)).toBe('Ana rejected · 2 min ago')
	})

	it('says “You” for the reader’s own decisions, and reads clearing and committing', () => {
		expect(
			decisionSentence(decision({ state: 'none', previous: 'approved' }), NOW, 'usr_ana0001'),
		).toBe('You cleared the mark · was approved · 2 min ago')
		expect(decisionSentence(decision({ state: 'committed', previous: 'approved' }), NOW)).toBe(
			'Ana committed it · was approved · 2 min ago',
		)
	})
})

const comment = (id: string, overrides: Partial<Comment> = {}): Comment => ({
	id,
	imageId: 'img_aaaaaaa',
	parentId: null,
	author: { id: 'usr_ana0001', name: 'Ana' },
	body: id,
	createdAt: ago(10 * MIN),
	resolvedAt: null,
	...overrides,
})

describe('threadComments', () => {
	it('groups replies under their comment, oldest first', () => {
		const threads = threadComments([
			comment('cmt_reply2', { parentId: 'cmt_first', createdAt: ago(1 * MIN) }),
			comment('cmt_second', { createdAt: ago(5 * MIN) }),
			comment('cmt_first', { createdAt: ago(9 * MIN) }),
			comment('cmt_reply1', { parentId: 'cmt_first', createdAt: ago(4 * MIN) }),
		])
		expect(threads.map((t) => [t.comment.id, t.replies.map((r) => r.id)])).toEqual([
			['cmt_first', ['cmt_reply1', 'cmt_reply2']],
			['cmt_second', []],
		])
	})

	it('keeps a reply whose parent the reader can’t see as its own thread', () => {
		const threads = threadComments([comment('cmt_orphan', { parentId: 'cmt_hidden' })])
		expect(threads.map((t) => t.comment.id)).toEqual(['cmt_orphan'])
	})
})

describe('openCommentsText', () => {
	it('counts in words', () => {
		expect(openCommentsText(0)).toBe('No open comments')
		expect(openCommentsText(1)).toBe('1 open comment')
		expect(openCommentsText(3)).toBe('3 open comments')
	})
})

describe('finalPill', () => {
	it('names a plain upscale "Final" and the review’s pick "Committed", never both alike', () => {
		const upscaled = finalPill({ decision: 'none', isCommitted: true })
		const picked = finalPill({ decision: 'committed', isCommitted: true })
		expect(upscaled?.label).toBe('Final')
		expect(picked?.label).toBe('Committed')
		expect(finalPill({ decision: 'approved', isCommitted: false })).toBeNull()
	})

	it('gives a final’s own image a padlock, no word (its header already says Final)', () => {
		const final = finalPill({ decision: 'none', isCommitted: true, isLocked: true, isFinal: true })
		expect(final?.kind).toBe('locked')
		expect(final?.label).toBe('')
		expect(finalPill({ decision: 'none', isCommitted: true, isFinal: true })).toBeNull()
	})
})

describe('summaryTally', () => {
	it('counts picks and comments in the right number', () => {
		const tally = summaryTally({
			committed: 1,
			approved: 2,
			starred: 0,
			rejected: 1,
			openComments: 1,
		})
		expect(tally.map((t) => `${t.count} ${t.label}`)).toEqual([
			'1 committed pick',
			'2 approved',
			'0 starred',
			'1 rejected',
			'1 open comment',
		])
		expect(
			summaryTally({ committed: 3, approved: 0, starred: 0, rejected: 0, openComments: 0 })[0]
				.label,
		).toBe('committed picks')
	})
})
