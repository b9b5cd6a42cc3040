import { describe, expect, it } from 'vitest'
import type { Credits } from '../../shared/api'
import { ApiError } from '../api/client'
import {
	checkSpend,
	creditsText,
	formatCredits,
	limitNoticeFor,
	nextRenewal,
	periodMonth,
	periodTitle,
} from './limits'

const credits = (balance: number, period = '2026-11'): Credits => ({
	balance,
	allowance: 8,
	period,
	spent: 8 - balance,
	reserved: 0,
})

describe('formatting credits', () => {
	it.each([
		[4, '4'],
		[2.5, '2.5'],
		[2.05, '2.05'],
		[1 / 3, '0.33'],
		[-4, '-4'],
	])('formats %s as %s', (n, text) => expect(formatCredits(n)).toBe(text))

	it('says credit for one and credits otherwise', () => {
		expect(creditsText(1)).toBe('1 credit')
		expect(creditsText(0)).toBe('0 credits')
		expect(creditsText(4)).toBe('4 credits')
	})
})

describe('periods', () => {
	it('names the month, the year and the next renewal', () => {
		expect(periodMonth('2026-11')).toBe('November')
		expect(periodTitle('2026-11')).toBe('November 2026')
		expect(nextRenewal('2026-11')).toBe('1 December')
		expect(nextRenewal('2026-12')).toBe('1 January')
	})

	it('shows an unknown period as it came', () => {
		expect(periodMonth('someday')).toBe('someday')
		expect(nextRenewal('2026-13')).toBeNull()
	})
})

describe('checkSpend', () => {
	it('allows a run the balance covers, and anything while credits or price are unknown', () => {
		expect(checkSpend(credits(4), 4)).toEqual({ ok: true })
		expect(checkSpend(null, 4)).toEqual({ ok: true })
		expect(checkSpend(credits(0), null)).toEqual({ ok: true })
	})

	it('says the month and who to ask when the balance is zero', () => {
		const check = checkSpend(credits(0), 4)
		expect(check).toMatchObject({ ok: false, reason: 'out' })
		if (check.ok) return
		expect(check.message).toBe('You’re out of credits for November')
		expect(check.detail).toBe('Ask an admin for more, or wait for your allowance on 1 December.')
	})

	it('points an admin at the admin page', () => {
		const check = checkSpend(credits(0), 4, { isAdmin: true })
		expect(!check.ok && check.detail).toContain('Admin page')
	})

	it('gives the price and the balance when the balance is short', () => {
		const check = checkSpend(credits(2), 4)
		expect(check).toMatchObject({
			ok: false,
			reason: 'short',
			message: 'This costs 4 credits; you have 2 credits left',
		})
	})
})

describe('limitNoticeFor', () => {
	const error = (status: number, code: string) =>
		new ApiError({ status, code, message: 'Details.' })

	it.each([
		[402, 'insufficient_credits', 'Not enough credits'],
		[402, 'board_budget_exceeded', 'This board’s budget is spent'],
		[429, 'rate_limited', 'One moment'],
		[429, 'too_many_jobs', 'Your queue is full'],
	])('turns a %i %s into a notice', (status, code, title) => {
		expect(limitNoticeFor(error(status, code))).toEqual({ code, title, message: 'Details.' })
	})

	it('leaves other errors alone', () => {
		expect(limitNoticeFor(error(403, 'forbidden'))).toBeNull()
		expect(limitNoticeFor(error(400, 'constructor'))).toBeNull()
		expect(limitNoticeFor(new Error('boom'))).toBeNull()
	})
})
