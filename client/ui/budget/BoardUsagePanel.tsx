import { useEffect, useState } from 'react'
import { type Signal, useValue } from 'tldraw'
import type { Board, Role } from '../../../shared/api'
import type { BoardUsage } from '../../api/budgetBodies'
import { api } from '../../api/client'
import type { BoardJobs } from '../../board/queueModel'
import { useOpLabel } from '../../budget/BudgetContext'
import { creditsText, formatCredits } from '../../budget/limits'
import { describeError } from '../describeError'
import { BudgetCapForm } from './BudgetCapForm'
import { UsageTable } from './UsageTable'

interface BoardUsagePanelProps {
	board: Board
	role: Role
	/** Changes when a job's status moves: spending may have changed. */
	boardJobs: Signal<BoardJobs>
	onBoardChange(board: Board): void
	onClose(): void
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; usage: BoardUsage }
	| { status: 'error'; message: string }

/**
 * Bill-back for a board: what it cost, by member and by op, against its budget cap. Owners set or
 * remove the cap here; editors see it.
 */
export function BoardUsagePanel(props: BoardUsagePanelProps) {
	const { board, role } = props
	const opLabel = useOpLabel()
	const jobs = useValue('board jobs', () => props.boardJobs.get(), [props.boardJobs])
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
	const [reload, setReload] = useState(0)

	useEffect(() => {
		let cancelled = false
		// `jobs` and `reload` are triggers: a job moved, or the cap changed.
		void jobs
		void reload
		api
			.boardUsage(board.id)
			.then((usage) => !cancelled && setLoaded({ status: 'ready', usage }))
			.catch((error: unknown) => {
				if (!cancelled) setLoaded({ status: 'error', message: describeError(error, 'board') })
			})
		return () => {
			cancelled = true
		}
	}, [board.id, jobs, reload])

	return (
		<aside
			className="side-panel"
			data-testid="board-usage-panel"
			aria-label="Board usage"
			onKeyDown={(event) => {
				if (event.key !== 'Escape') return
				event.stopPropagation()
				props.onClose()
			}}
		>
			<header className="side-panel__header">
				<div>
					<div className="eyebrow">Bill-back · all time</div>
					<h2>Board usage</h2>
				</div>
				<button
					type="button"
					className="icon-button"
					data-testid="board-usage-close"
					aria-label="Close board usage"
					title="Close (Esc)"
					onClick={props.onClose}
				>
					×
				</button>
			</header>
			{loaded.status === 'loading' && <div className="panel-skeleton" aria-busy="true" />}
			{loaded.status === 'error' && (
				<p className="form-error" role="alert">
					{loaded.message}
				</p>
			)}
			{loaded.status === 'ready' && (
				<>
					<CapSummary usage={loaded.usage} />
					{role === 'owner' ? (
						<BudgetCapForm
							board={board}
							onSaved={(next) => {
								props.onBoardChange(next)
								setReload((n) => n + 1)
							}}
						/>
					) : (
						<p className="side-panel__note">Only the board’s owner can change its budget cap.</p>
					)}
					<UsageTable
						title="By member"
						keyHeading="Member"
						rows={loaded.usage.byMember}
						testId="usage-by-member"
						empty="Nothing spent on this board yet."
					/>
					<UsageTable
						title="By operation"
						keyHeading="Operation"
						rows={loaded.usage.byOp}
						testId="usage-by-op"
						empty="No operations run yet."
						renderLabel={(row) => opLabel(row.key)}
					/>
				</>
			)}
		</aside>
	)
}

function CapSummary({ usage }: { usage: BoardUsage }) {
	const { budgetCap: cap, spent } = usage
	if (cap === null) {
		return (
			<section className="cap-summary" data-testid="board-cap" data-cap="">
				<p className="cap-summary__figure">
					<strong data-testid="board-spent">{formatCredits(spent)}</strong> credits spent
				</p>
				<p className="muted">No budget cap: members spend from their own monthly credits.</p>
			</section>
		)
	}
	const fraction = cap > 0 ? Math.min(1, spent / cap) : 1
	const reached = spent >= cap
	return (
		<section
			className={`cap-summary${reached ? ' cap-summary--reached' : ''}`}
			data-testid="board-cap"
			data-cap={cap}
		>
			<p className="cap-summary__figure">
				<strong data-testid="board-spent">{formatCredits(spent)}</strong> of {creditsText(cap)} cap
			</p>
			<div
				className="cap-bar"
				role="progressbar"
				aria-label="Board budget used"
				aria-valuemin={0}
				aria-valuemax={100}
				aria-valuenow={Math.round(fraction * 100)}
			>
				<span className="cap-bar__fill" style={{ width: `${fraction * 100}%` }} />
			</div>
			<p className={reached ? 'cap-summary__warning' : 'muted'}>
				{reached
					? 'The cap is reached: nobody can generate here until the owner raises it.'
					: `${creditsText(Math.max(0, cap - spent))} left for everyone on this board.`}
			</p>
		</section>
	)
}
