import { useEffect, useState } from 'react'
import type { User } from '../../shared/api'
import type { UserUsage } from '../api/budgetBodies'
import { api, isApiError } from '../api/client'
import { useBudget, useCredits, useOpLabel } from '../budget/BudgetContext'
import { formatCredits, nextRenewal, periodTitle } from '../budget/limits'
import { AppHeader } from './AppHeader'
import { BudgetBar } from './budget/BudgetBar'
import { LedgerTable } from './budget/LedgerTable'
import { UsageTable } from './budget/UsageTable'
import { describeError } from './describeError'
import { boardPath, Link } from './router'

interface UsagePageProps {
	user: User
	onSignOut(): void
	onSessionEnded(notice?: string): void
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; usage: UserUsage; boardNames: Map<string, string> }
	| { status: 'error'; message: string }

/** `/me/usage`: this month's spending by board and by op, and the recent ledger. */
export function UsagePage({ user, onSignOut, onSessionEnded }: UsagePageProps) {
	const budget = useBudget()
	const credits = useCredits()
	const opLabel = useOpLabel()
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })

	useEffect(() => {
		document.title = 'Your usage · Arbor'
		void budget?.credits.refresh()
		let cancelled = false
		// Without the board list the ledger still reads, with generic board links.
		const boards = api.listBoards().catch(() => [])
		Promise.all([api.myUsage(), boards])
			.then(([usage, boards]) => {
				if (cancelled) return
				// Boards this person can still open; entries on others keep the ledger's own name.
				const boardNames = new Map(usage.byBoard.map((row) => [row.key, row.label]))
				for (const board of boards) boardNames.set(board.id, board.name)
				setLoaded({ status: 'ready', usage, boardNames })
			})
			.catch((error: unknown) => {
				if (cancelled) return
				if (isApiError(error) && error.code === 'unauthenticated')
					onSessionEnded(describeError(error))
				else setLoaded({ status: 'error', message: describeError(error) })
			})
		return () => {
			cancelled = true
			document.title = 'Arbor'
		}
	}, [budget, onSessionEnded])

	const period = credits?.period ?? (loaded.status === 'ready' ? loaded.usage.period : null)
	const renewal = period ? nextRenewal(period) : null

	return (
		<div className="list-page">
			<AppHeader user={user} onSignOut={onSignOut} />
			<main className="list-main usage-page" data-testid="usage-page">
				<Link to="/" className="back-link back-link--page">
					<span aria-hidden="true">←</span> Boards
				</Link>
				<div className="list-heading">
					<div>
						<h1>Your usage</h1>
						<p className="muted">
							{period ? periodTitle(period) : 'This month'}
							{renewal ? ` · your allowance renews on ${renewal}` : ''}
						</p>
					</div>
				</div>
				{credits && (
					<section className="stat-row" data-testid="usage-summary">
						<div className="stat stat--wide">
							<span className="stat__label">Balance</span>
							<span
								className={`stat__value${credits.balance <= 0 ? ' stat__value--out' : ''}`}
								data-testid="usage-balance"
							>
								{formatCredits(credits.balance)}
								<small> / {formatCredits(credits.allowance)}</small>
							</span>
							<BudgetBar credits={credits} />
						</div>
						<div className="stat">
							<span className="stat__label">Spent this month</span>
							<span className="stat__value" data-testid="usage-spent">
								{formatCredits(credits.spent)}
							</span>
						</div>
						<div className="stat">
							<span className="stat__label">Held by running jobs</span>
							<span className="stat__value">{formatCredits(credits.reserved)}</span>
						</div>
						<div className="stat">
							<span className="stat__label">Monthly allowance</span>
							<span className="stat__value">{formatCredits(credits.allowance)}</span>
						</div>
					</section>
				)}
				{loaded.status === 'loading' && <div className="list-skeleton" aria-busy="true" />}
				{loaded.status === 'error' && (
					<p className="form-error" role="alert">
						{loaded.message}
					</p>
				)}
				{loaded.status === 'ready' && (
					<>
						<div className="usage-grid">
							<div className="card">
								<UsageTable
									title="By board"
									keyHeading="Board"
									rows={loaded.usage.byBoard}
									testId="usage-by-board"
									empty="You haven’t spent anything this month."
									renderLabel={(row) => <Link to={boardPath(row.key)}>{row.label}</Link>}
								/>
							</div>
							<div className="card">
								<UsageTable
									title="By operation"
									keyHeading="Operation"
									rows={loaded.usage.byOp}
									testId="usage-by-op"
									empty="No operations run this month."
									renderLabel={(row) => opLabel(row.key)}
								/>
							</div>
						</div>
						<section className="card">
							<div className="card__heading">
								<h3>Recent activity</h3>
								<span className="muted">{entriesText(loaded.usage.entries.length)}</span>
							</div>
							<LedgerTable
								entries={loaded.usage.entries}
								boardNames={loaded.boardNames}
								opLabel={opLabel}
							/>
						</section>
					</>
				)}
			</main>
		</div>
	)
}

function entriesText(n: number): string {
	return n === 1 ? 'The latest entry' : `The latest ${n} entries`
}
