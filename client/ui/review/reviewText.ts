import type { Comment, Decision, DecisionState } from '../../../shared/review'
import { plural, pluralNoun } from '../plural'
import { relativeTime } from '../relativeTime'

/** How each state reads as a past-tense act ("Ana approved") and as a mark ("was approved"). */
const ACTS: Record<DecisionState, string> = {
	none: 'cleared the mark',
	starred: 'starred',
	approved: 'approved',
	rejected: 'rejected',
	committed: 'committed it',
}

/** Short labels for badges and summary headings. */
export const DECISION_LABELS: Record<DecisionState, string> = {
	none: 'No mark',
	starred: 'Starred',
	approved: 'Approved',
	rejected: 'Rejected',
	committed: 'Committed',
}

/**
 * One line of an image's decision history: "Ana approved · was starred · 2 min ago". The
 * previous mark is left out when there was none; `selfId` reads the person's own acts as "You".
 */
export function decisionSentence(decision: Decision, now: number, selfId?: string): string {
	const who = decision.by.id === selfId ? 'You' : decision.by.name
	const parts = [`${who} ${ACTS[decision.state]}`]
	if (decision.previous !== 'none' && decision.previous !== decision.state)
		parts.push(`was ${ACTS[decision.previous]}`)
	parts.push(relativeTime(decision.at, now))
	return parts.join(' · ')
}

/** A top-level comment and its replies (threads are one level deep), oldest first. */
export interface CommentThread {
	comment: Comment
	replies: Comment[]
}

/**
 * Comments → threads, oldest first. A reply whose parent is missing (not visible to this reader)
 * is shown as its own thread rather than dropped.
 */
export function threadComments(comments: readonly Comment[]): CommentThread[] {
	const byTime = [...comments].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
	const roots = new Map<string, CommentThread>()
	for (const comment of byTime) {
		if (comment.parentId === null) roots.set(comment.id, { comment, replies: [] })
	}
	const threads = [...roots.values()]
	for (const comment of byTime) {
		if (comment.parentId === null) continue
		const parent = roots.get(comment.parentId)
		if (parent) parent.replies.push(comment)
		else threads.push({ comment, replies: [] })
	}
	return threads.sort((a, b) => a.comment.createdAt.localeCompare(b.comment.createdAt))
}

/** "3 open comments", "1 open comment", "No comments yet". */
export function openCommentsText(open: number): string {
	if (open === 0) return 'No open comments'
	return plural(open, 'open comment')
}

/**
 * The pill on a candidate's corner, one word per meaning: "Final" — an upscale made a final of
 * this candidate; "Committed" — the review's committed pick. A final's own image says neither
 * (its header's FINAL badge does): it shows a padlock alone, for the lock that keeps it on the
 * board. Null when none applies.
 */
export function finalPill(options: {
	decision: DecisionState
	/** Upscaled to a final (the commit loop), or the review committed it. */
	isCommitted: boolean
	/** On a locked node (a final). */
	isLocked?: boolean
	/** The cell is a final node's own image. */
	isFinal?: boolean
}): { kind: 'committed' | 'final' | 'locked'; label: string; title: string } | null {
	if (options.decision === 'committed')
		return {
			kind: 'committed',
			label: 'Committed',
			title: 'The review’s committed pick: its final is locked on the board',
		}
	if (options.isFinal)
		return options.isLocked
			? { kind: 'locked', label: '', title: 'Locked on the board: only the owner can remove it' }
			: null
	if (!options.isCommitted) return null
	return { kind: 'final', label: 'Final', title: 'Upscaled: its final is on the board' }
}

/**
 * The summary's totals, one line each: "1 committed pick", "2 approved", "3 open comments". Marks
 * are adjectives (no plural); picks and comments are nouns and take their number.
 */
export function summaryTally(counts: {
	committed: number
	approved: number
	starred: number
	rejected: number
	openComments: number
}): Array<{ key: keyof typeof counts; count: number; label: string }> {
	return [
		{
			key: 'committed',
			count: counts.committed,
			label: pluralNoun(counts.committed, 'committed pick'),
		},
		{ key: 'approved', count: counts.approved, label: 'approved' },
		{ key: 'starred', count: counts.starred, label: 'starred' },
		{ key: 'rejected', count: counts.rejected, label: 'rejected' },
		{
			key: 'openComments',
			count: counts.openComments,
			label: pluralNoun(counts.openComments, 'open comment'),
		},
	]
}

/** Cursor-like colours for people the API names without one (comment and decision authors). */
const PERSON_COLORS = ['#d9480f', '#1971c2', '#2b8a3e', '#9c36b5', '#c2255c', '#0c8599', '#e67700']

/** A stable colour per person id: the same author always gets the same avatar. */
export function personColor(id: string): string {
	let hash = 0
	for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) | 0
	return PERSON_COLORS[Math.abs(hash) % PERSON_COLORS.length]
}
