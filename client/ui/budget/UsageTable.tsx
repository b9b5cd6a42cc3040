import type { ReactNode } from 'react'
import type { UsageRow } from '../../../shared/api'
import { formatCredits } from '../../budget/limits'

interface UsageTableProps {
	title: string
	rows: UsageRow[]
	/** What the first column names: "Member", "Operation", "Board". */
	keyHeading: string
	testId: string
	empty: string
	/** How a row's label is shown (a link to a board, an op's catalogue label). */
	renderLabel?: (row: UsageRow) => ReactNode
}

/** Credits spent, grouped one way (by member, op or board), each row with its share as a bar. */
export function UsageTable(props: UsageTableProps) {
	const { rows } = props
	const total = rows.reduce((sum, row) => sum + Math.max(0, row.credits), 0)
	return (
		<section className="usage-table" data-testid={props.testId}>
			<h3>{props.title}</h3>
			{rows.length === 0 ? (
				<p className="usage-table__empty" data-testid={`${props.testId}-empty`}>
					{props.empty}
				</p>
			) : (
				<table className="data-table data-table--bare">
					<thead>
						<tr>
							<th scope="col">{props.keyHeading}</th>
							<th scope="col" className="num">
								Jobs
							</th>
							<th scope="col" className="num">
								Credits
							</th>
						</tr>
					</thead>
					<tbody>
						{rows.map((row) => (
							<tr key={row.key} data-testid={`${props.testId}-row`} data-key={row.key}>
								<td>
									<span className="usage-table__label">
										{props.renderLabel ? props.renderLabel(row) : row.label}
									</span>
									<span className="usage-table__share" aria-hidden="true">
										<span
											className="usage-table__share-fill"
											style={{
												width: `${total > 0 ? (Math.max(0, row.credits) / total) * 100 : 0}%`,
											}}
										/>
									</span>
								</td>
								<td className="num">{row.jobs}</td>
								<td className="num" data-testid={`${props.testId}-credits`}>
									{formatCredits(row.credits)}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</section>
	)
}
