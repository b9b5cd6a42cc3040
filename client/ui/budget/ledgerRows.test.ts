import { describe, expect, it } from 'vitest'
import type { LedgerEntry } from '../../api/budgetBodies'
import { ledgerRows } from './ledgerRows'

let nextId = 1
const entry = (fields: Partial<LedgerEntry>): LedgerEntry => ({
	id: nextId++,
	kind: 'reservation',
	amount: 0,
	balanceAfter: 0,
	boardId: 'brd_1',
	jobId: null,
	op: null,
	prompt: null,
	note: null,
	createdAt: '2026-12-08T00:00:00.000Z',
	...fields,
})

describe('ledgerRows', () => {
	it('folds a job’s reservation and settlement into one row with its op', () => {
		const grant = entry({ kind: 'grant', amount: 100, balanceAfter: 100, boardId: null })
		const held = entry({
			jobId: 'job_a',
			op: 'vary',
			prompt: 'a lighthouse',
			amount: -4,
			balanceAfter: 96,
		})
		const settled = entry({
			jobId: 'job_a',
			op: 'vary',
			prompt: 'a lighthouse',
			kind: 'settlement',
			amount: 0,
			balanceAfter: 96,
		})
		const rows = ledgerRows([settled, held, grant])
		expect(rows).toHaveLength(2)
		expect(rows[0]).toMatchObject({
			jobId: 'job_a',
			op: 'vary',
			amount: -4,
			state: 'charged',
			balanceAfter: 96,
		})
		expect(rows[0].entries.map((e) => e.kind)).toEqual(['reservation', 'settlement'])
		expect(rows[1]).toMatchObject({ kind: 'grant', amount: 100, state: null })
	})

	it('says a job is held while only reserved, and refunded once credits came back', () => {
		const rows = ledgerRows([
			entry({ jobId: 'job_b', op: 'upscale', amount: -8, balanceAfter: 88 }),
			entry({ jobId: 'job_c', op: 'imagine', amount: -4, balanceAfter: 84 }),
			entry({ jobId: 'job_c', op: 'imagine', kind: 'refund', amount: 4, balanceAfter: 88 }),
		])
		expect(rows.map((r) => [r.jobId, r.state, r.amount])).toEqual([
			['job_c', 'refunded', 0],
			['job_b', 'held', -8],
		])
	})
})
