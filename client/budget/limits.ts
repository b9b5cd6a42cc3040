import type { Credits } from '../../shared/api'
import { isApiError } from '../api/client'

/** "4 credits", "1 credit", "2.5 credits". */
export function creditsText(amount: number): string {
	return `${formatCredits(amount)} ${Math.abs(amount) === 1 ? 'credit' : 'credits'}`
}

/** Credits are counted to the cent: whole numbers print bare, others with up to two decimals. */
export function formatCredits(amount: number): string {
	const rounded = Math.round(amount * 100) / 100
	return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(2).replace(/0$/, '')
}

const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
]

function parsePeriod(period: string): { year: number; month: number } | null {
	const match = /^(\d{4})-(\d{2})$/.exec(period)
	if (!match) return null
	const month = Number(match[2]) - 1
	return month >= 0 && month < 12 ? { year: Number(match[1]), month } : null
}

/** `2026-11` → "November"; anything else is shown as it came. */
export function periodMonth(period: string): string {
	const parsed = parsePeriod(period)
	return parsed ? MONTHS[parsed.month] : period
}

/** `2026-11` → "November 2026". */
export function periodTitle(period: string): string {
	const parsed = parsePeriod(period)
	return parsed ? `${MONTHS[parsed.month]} ${parsed.year}` : period
}

/** When the next allowance arrives: `2026-11` → "1 December". */
export function nextRenewal(period: string): string | null {
	const parsed = parsePeriod(period)
	return parsed ? `1 ${MONTHS[(parsed.month + 1) % 12]}` : null
}

/** Whether the user can pay for a run, from what the client knows; the server decides anyway. */
export type SpendCheck =
	| { ok: true }
	| { ok: false; reason: 'out' | 'short'; message: string; detail: string }

/**
 * Checks a price against the balance. Unknown credits or price (still loading, an older server)
 * never block: the server refuses with a 402 that the UI explains.
 */
export function checkSpend(
	credits: Credits | null,
	price: number | null,
	options: { isAdmin?: boolean } = {},
): SpendCheck {
	if (!credits || price === null) return { ok: true }
	const month = periodMonth(credits.period)
	const renewal = nextRenewal(credits.period)
	const ask = options.isAdmin
		? 'You can grant yourself more on the Admin page.'
		: `Ask an admin for more${renewal ? `, or wait for your allowance on ${renewal}` : ''}.`
	if (credits.balance <= 0) {
		return {
			ok: false,
			reason: 'out',
			message: `You’re out of credits for ${month}`,
			detail: ask,
		}
	}
	if (credits.balance < price) {
		return {
			ok: false,
			reason: 'short',
			message: `This costs ${creditsText(price)}; you have ${creditsText(credits.balance)} left`,
			detail: ask,
		}
	}
	return { ok: true }
}

/** A refusal the user can act on: spending limits, caps, rate limits. */
export interface LimitNotice {
	code: 'insufficient_credits' | 'board_budget_exceeded' | 'rate_limited' | 'too_many_jobs'
	title: string
	/** The server's sentence: it carries the numbers (price, what is left, the limit). */
	message: string
}

const LIMIT_TITLES: Record<LimitNotice['code'], string> = {
	insufficient_credits: 'Not enough credits',
	board_budget_exceeded: 'This board’s budget is spent',
	rate_limited: 'One moment',
	too_many_jobs: 'Your queue is full',
}

/** The limit behind a refused request (402/429), or null for any other error. */
export function limitNoticeFor(error: unknown): LimitNotice | null {
	if (!isApiError(error)) return null
	if (!Object.hasOwn(LIMIT_TITLES, error.code)) return null
	const code = error.code as LimitNotice['code']
	return { code, title: LIMIT_TITLES[code], message: error.message }
}
