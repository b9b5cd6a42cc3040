import { describe, expect, it } from 'vitest'
import { parseAmount } from './AdminUserEditor'
import { budgetBarParts, budgetState } from './BudgetBar'
import { parseCap } from './BudgetCapForm'
import { signedCredits } from './LedgerTable'

describe('budgetBarParts', () => {
	it('splits the bar into what is left and what running jobs hold', () => {
		expect(budgetBarParts({ balance: 4, allowance: 8, reserved: 2 })).toEqual({
			balance: 0.5,
			held: 0.25,
		})
	})

	it('stretches to a balance above the allowance (a grant) and never goes negative', () => {
		expect(budgetBarParts({ balance: 16, allowance: 8, reserved: 0 })).toEqual({
			balance: 1,
			held: 0,
		})
		expect(budgetBarParts({ balance: -2, allowance: 0, reserved: 0 })).toEqual({
			balance: 0,
			held: 0,
		})
	})
})

describe('budgetState', () => {
	it.each([
		[8, 'ok'],
		[2, 'ok'],
		[1, 'low'],
		[0, 'out'],
		[-1, 'out'],
	])('balance %s of 8 is %s', (balance, state) => {
		expect(budgetState({ balance, allowance: 8 })).toBe(state)
	})
})

describe('parseCap', () => {
	it('accepts zero and positive numbers', () => {
		expect(parseCap(' 40 ')).toEqual({ ok: true, cap: 40 })
		expect(parseCap('0')).toEqual({ ok: true, cap: 0 })
	})

	it.each(['', 'ten', '-5', '99999999'])('refuses %j with a reason', (text) => {
		expect(parseCap(text)).toMatchObject({ ok: false })
	})
})

describe('parseAmount', () => {
	it('takes a negative grant (a correction) but not 0', () => {
		expect(parseAmount('-3', { allowNegative: true })).toEqual({ ok: true, value: -3 })
		expect(parseAmount('0', { allowNegative: true })).toMatchObject({ ok: false })
	})

	it('takes 0 as an allowance but nothing negative or fractional', () => {
		expect(parseAmount('0', { allowNegative: false })).toEqual({ ok: true, value: 0 })
		expect(parseAmount('-1', { allowNegative: false })).toMatchObject({ ok: false })
		expect(parseAmount('2.5', { allowNegative: false })).toMatchObject({ ok: false })
		expect(parseAmount('', { allowNegative: false })).toMatchObject({ ok: false })
	})
})

describe('signedCredits', () => {
	it('signs ledger amounts with a real minus', () => {
		expect(signedCredits(4)).toBe('+4')
		expect(signedCredits(-4)).toBe('−4')
		expect(signedCredits(0)).toBe('0')
	})
})
