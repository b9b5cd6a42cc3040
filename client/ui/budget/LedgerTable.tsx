import type { LedgerEntry } from '../../api/budgetBodies'
import { formatCredits } from '../../budget/limits'
import { formatDateTime } from '../formatDate'
import { boardPath, Link } from '../router'

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

/** The most recent ledger entries, newest first: what moved, by how much, and the balance after. */
export function LedgerTable(props: {
	entries: LedgerEntry[]
	/** Board names by id, to name and link each entry's board. */
	boardNames: ReadonlyMap<string, string>
}) {
	if (props.entries.length === 0) {
		return (
			<p className="usage-table__empty" data-testid="ledger-empty">
				No credit movements yet.
			</p>
		)
	}
	return (
		<div className="table-scroll">
			<table className="data-table ledger-table" data-testid="ledger">
				<thead>
					<tr>
						<th scope="col">When</th>
						<th scope="col">Entry</th>
						<th scope="col" className="num">
							Amount
						</th>
						<th scope="col" className="num">
							Balance after
						</th>
						<th scope="col">Note</th>
					</tr>
				</thead>
				<tbody>
					{props.entries.map((entry) => {
						const boardName = entry.boardId ? props.boardNames.get(entry.boardId) : undefined
						return (
							<tr key={entry.id} data-testid="ledger-entry" data-kind={entry.kind}>
								<td className="ledger-table__when">{formatDateTime(entry.createdAt)}</td>
								<td>
									<span
										className={`kind-pill kind-pill--${entry.kind}`}
										title={KIND_HINTS[entry.kind]}
									>
										{KIND_LABELS[entry.kind] ?? entry.kind}
									</span>
								</td>
								<td
									className={`num ledger-table__amount${entry.amount > 0 ? ' is-credit' : ''}`}
									data-testid="ledger-amount"
								>
									{signedCredits(entry.amount)}
								</td>
								<td className="num">{formatCredits(entry.balanceAfter)}</td>
								<td className="ledger-table__note">
									{entry.note && <span>{entry.note}</span>}
									{entry.boardId && (
										<Link to={boardPath(entry.boardId)} className="ledger-table__board">
											{boardName ?? 'Open the board'}
										</Link>
									)}
									{!entry.note && !entry.boardId && <span className="muted">—</span>}
								</td>
							</tr>
						)
					})}
				</tbody>
			</table>
		</div>
	)
}
