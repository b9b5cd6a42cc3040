import { Fragment, useState } from 'react'
import type { LedgerEntry } from '../../api/budgetBodies'
import { formatCredits } from '../../budget/limits'
import { formatDateTime } from '../formatDate'
import { boardPath, Link } from '../router'
import { ledgerRows } from './ledgerRows'

const KIND_LABELS: Record<string, string> = {
	grant: 'Grant',
	reservation: 'Reserved',
	settlement: 'Settled',
	refund: 'Refund',
	adjustment: 'Adjustment',
}

const KIND_HINTS: Record<string, string> = {
	grant: 'Credits added: the monthly allowance or an admin’s grant',
	reservation: 'Held when a job was asked for',
	settlement: 'A finished job’s final charge',
	refund: 'Returned for a failed or cancelled job',
	adjustment: 'A correction by an admin',
}

/** "+4", "−4" (a real minus sign), "0". */
export function signedCredits(amount: number): string {
	if (amount > 0) return `+${formatCredits(amount)}`
	if (amount < 0) return `−${formatCredits(-amount)}`
	return '0'
}

const STATE_LABELS = { held: 'Held', charged: 'Charged', refunded: 'Refunded' } as const
const STATE_HINTS = {
	held: 'Reserved while the job runs; settled when it finishes',
	charged: 'The job finished and was charged',
	refunded: 'Credits came back: the job failed or was cancelled',
} as const

/**
 * The recent ledger, newest first, one row per job (its op, prompt and board; what it cost in the
 * end), each expandable to its entries; grants and adjustments keep a row each.
 */
export function LedgerTable(props: {
	entries: LedgerEntry[]
	/** Board names by id, to name and link each entry's board. */
	boardNames: ReadonlyMap<string, string>
	/** "Vary (strong)" for `vary`. */
	opLabel(op: string): string
}) {
	const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
	if (props.entries.length === 0) {
		return (
			<p className="usage-table__empty" data-testid="ledger-empty">
				No credit movements yet.
			</p>
		)
	}
	const toggle = (key: string) =>
		setOpen((was) => {
			const next = new Set(was)
			if (!next.delete(key)) next.add(key)
			return next
		})
	return (
		<div className="table-scroll">
			<table className="data-table ledger-table" data-testid="ledger">
				<thead>
					<tr>
						<th scope="col">When</th>
						<th scope="col">What</th>
						<th scope="col" className="num">
							Amount
						</th>
						<th scope="col" className="num">
							Balance after
						</th>
						<th scope="col">
							<span className="visually-hidden">Entries</span>
						</th>
					</tr>
				</thead>
				<tbody>
					{ledgerRows(props.entries).map((row) => {
						const boardName = row.boardId ? props.boardNames.get(row.boardId) : undefined
						const expanded = open.has(row.key)
						return (
							<Fragment key={row.key}>
								<tr
									data-testid="ledger-row"
									data-kind={row.kind}
									data-state={row.state ?? undefined}
									data-job-id={row.jobId ?? undefined}
								>
									<td className="ledger-table__when">{formatDateTime(row.at)}</td>
									<td>
										<div className="ledger-table__what">
											{row.kind === 'job' ? (
												<>
													<strong data-testid="ledger-op">
														{row.op ? props.opLabel(row.op) : 'A job'}
													</strong>
													{row.state && (
														<span
															className={`kind-pill kind-pill--${row.state}`}
															title={STATE_HINTS[row.state]}
														>
															{STATE_LABELS[row.state]}
														</span>
													)}
													{row.prompt && (
														<span className="ledger-table__prompt" title={row.prompt}>
															{row.prompt}
														</span>
													)}
												</>
											) : (
												<>
													<span
														className={`kind-pill kind-pill--${row.kind}`}
														title={KIND_HINTS[row.kind]}
													>
														{KIND_LABELS[row.kind] ?? row.kind}
													</span>
													{row.note && <span className="ledger-table__prompt">{row.note}</span>}
												</>
											)}
											{row.boardId && (
												<Link to={boardPath(row.boardId)} className="ledger-table__board">
													{boardName ?? 'Open the board'}
												</Link>
											)}
										</div>
									</td>
									<td
										className={`num ledger-table__amount${row.amount > 0 ? ' is-credit' : ''}`}
										data-testid="ledger-amount"
									>
										{signedCredits(row.amount)}
									</td>
									<td className="num">{formatCredits(row.balanceAfter)}</td>
									<td className="num">
										{row.entries.length > 1 && (
											<button
												type="button"
												className="link-button ledger-table__expand"
												data-testid="ledger-expand"
												aria-expanded={expanded}
												onClick={() => toggle(row.key)}
											>
												{expanded ? 'Hide' : `${row.entries.length} entries`}
											</button>
										)}
									</td>
								</tr>
								{expanded &&
									row.entries.map((entry) => (
										<tr
											key={entry.id}
											className="ledger-table__entry"
											data-testid="ledger-entry"
											data-kind={entry.kind}
										>
											<td className="ledger-table__when ledger-table__indent">
												{formatDateTime(entry.createdAt)}
											</td>
											<td>
												<span
													className={`kind-pill kind-pill--${entry.kind}`}
													title={KIND_HINTS[entry.kind]}
												>
													{KIND_LABELS[entry.kind] ?? entry.kind}
												</span>
												{entry.note && <span className="ledger-table__prompt">{entry.note}</span>}
											</td>
											<td className="num">{signedCredits(entry.amount)}</td>
											<td className="num">{formatCredits(entry.balanceAfter)}</td>
											<td />
										</tr>
									))}
							</Fragment>
						)
					})}
				</tbody>
			</table>
		</div>
	)
}
