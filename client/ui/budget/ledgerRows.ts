import type { LedgerEntry } from '../../api/budgetBodies'

/** A job's movements as one row: what it cost in the end, and where it stands. */
export interface LedgerRow {
	key: string
	jobId: string | null
	/** The job's op, or the entry's kind for one not about a job (a grant, an adjustment). */
	op: string | null
	prompt: string | null
	boardId: string | null
	kind: LedgerEntry['kind'] | 'job'
	/** `held` while only reserved; `charged` once settled; `refunded` when any came back. */
	state: 'held' | 'charged' | 'refunded' | null
	/** The sum of its entries: what it took from the balance. */
	amount: number
	/** The balance after its latest entry. */
	balanceAfter: number
	/** Its latest entry's time. */
	at: string
	note: string | null
	/** Oldest first. */
	entries: LedgerEntry[]
}

const round = (n: number) => Math.round(n * 100) / 100

/**
 * The ledger, newest first, with each job's entries folded into one row ("Vary strong · −4 ·
 * charged") instead of a "Reserved −4" and a "Settled 0" side by side. Entries about no job
 * (grants, adjustments) keep a row each.
 */
export function ledgerRows(entries: readonly LedgerEntry[]): LedgerRow[] {
	const rows: LedgerRow[] = []
	const byJob = new Map<string, LedgerRow>()
	const newestFirst = [...entries].sort((a, b) => b.id - a.id)
	for (const entry of newestFirst) {
		const existing = entry.jobId ? byJob.get(entry.jobId) : undefined
		if (existing) {
			existing.entries.unshift(entry)
			existing.amount = round(existing.amount + entry.amount)
			existing.op ??= entry.op ?? null
			existing.prompt ??= entry.prompt ?? null
			existing.note ??= entry.note
			continue
		}
		const row: LedgerRow = {
			key: entry.jobId ? `job:${entry.jobId}` : `entry:${entry.id}`,
			jobId: entry.jobId,
			op: entry.op ?? null,
			prompt: entry.prompt ?? null,
			boardId: entry.boardId,
			kind: entry.jobId ? 'job' : entry.kind,
			state: null,
			amount: entry.amount,
			balanceAfter: entry.balanceAfter,
			at: entry.createdAt,
			note: entry.note,
			entries: [entry],
		}
		rows.push(row)
		if (entry.jobId) byJob.set(entry.jobId, row)
	}
	for (const row of rows) {
		if (row.kind !== 'job') continue
		const kinds = new Set(row.entries.map((e) => e.kind))
		row.state = kinds.has('refund') ? 'refunded' : kinds.has('settlement') ? 'charged' : 'held'
	}
	return rows
}
