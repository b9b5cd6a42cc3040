import { formatDate } from './formatDate'

// How long ago something happened, in the words the activity log, comments and history share.

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "just now", "2 min ago", "3 h ago", "yesterday", "4 days ago", then the date. */
export function relativeTime(iso: string, now: number): string {
	const at = new Date(iso).getTime()
	if (Number.isNaN(at)) return iso
	const elapsed = Math.max(0, now - at)
	if (elapsed < 45_000) return 'just now'
	if (elapsed < HOUR) return `${Math.max(1, Math.round(elapsed / MINUTE))} min ago`
	if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`
	if (elapsed < 2 * DAY) return 'yesterday'
	if (elapsed < 7 * DAY) return `${Math.floor(elapsed / DAY)} days ago`
	return formatDate(iso)
}
