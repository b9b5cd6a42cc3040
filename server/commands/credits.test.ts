import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CreditGrantSchema } from '../../shared/api'
import { type Db, openDb } from '../db/client'
import { users } from '../db/schema'
import { tempDir } from '../test/factories'
import { balanceOf, creditsAdjust, grantMonthlyAllowance } from './credits'

let tmp: ReturnType<typeof tempDir>
let db: Db

beforeEach(() => {
	tmp = tempDir()
	db = openDb(join(tmp.dir, 'arbor.db'))
})

afterEach(() => {
	db.$client.close()
	tmp.remove()
})

function buildUserRow(monthlyAllowance: number | null = 1000) {
	return db
		.insert(users)
		.values({
			id: `usr_${Math.random().toString(36).slice(2, 11)}`,
			email: `${Math.random().toString(36).slice(2)}@example.com`,
			name: 'Ann',
			passwordHash: 'x',
			color: '#000000',
			monthlyAllowance,
		})
		.returning()
		.get()
}

const NOV = Date.UTC(2026, 10, 15)
const DEC = Date.UTC(2026, 11, 2)
const JAN = Date.UTC(2027, 0, 2)

describe('CreditGrantSchema', () => {
	it.each([0.001, -0.004, 0.0049])('refuses %s, which rounds to zero credits', (amount) => {
		expect(CreditGrantSchema.safeParse({ amount }).success).toBe(false)
	})

	it('accepts a cent', () => {
		expect(CreditGrantSchema.safeParse({ amount: 0.01 }).success).toBe(true)
	})
})

describe('creditsAdjust', () => {
	it('refuses an amount that rounds to zero instead of storing a 0-credit grant', () => {
		const user = buildUserRow()
		expect(() =>
			creditsAdjust(db, { userId: user.id, amount: 0.001, actorId: user.id, note: '' }),
		).toThrow(/round/)
		expect(balanceOf(db, user.id)).toBe(0)
	})
})

describe('grantMonthlyAllowance', () => {
	it("keeps a negative adjustment across the next month's top-up", () => {
		const user = buildUserRow(1000)
		db.transaction((tx) => grantMonthlyAllowance(tx, user, 1000, NOV))
		expect(balanceOf(db, user.id)).toBe(1000)
		creditsAdjust(db, { userId: user.id, amount: -300, actorId: user.id, note: 'correction' })
		expect(balanceOf(db, user.id)).toBe(700)

		db.transaction((tx) => grantMonthlyAllowance(tx, user, 1000, DEC))
		expect(balanceOf(db, user.id)).toBe(700)
		// Taken once: the month after, the allowance is whole again.
		db.transaction((tx) => grantMonthlyAllowance(tx, user, 1000, JAN))
		expect(balanceOf(db, user.id)).toBe(1000)
	})
})
