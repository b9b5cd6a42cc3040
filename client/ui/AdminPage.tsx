import { Fragment, useCallback, useEffect, useState } from 'react'
import type { Credits, User } from '../../shared/api'
import type { AdminUser } from '../api/budgetBodies'
import { api, isApiError } from '../api/client'
import { useBudget } from '../budget/BudgetContext'
import { formatCredits } from '../budget/limits'
import { AppHeader } from './AppHeader'
import { AdminGuests } from './admin/AdminGuests'
import { PolicyEditor } from './admin/PolicyEditor'
import { AdminUserEditor } from './budget/AdminUserEditor'
import { BudgetBar } from './budget/BudgetBar'
import { ModelPrices } from './budget/ModelPrices'
import { describeError } from './describeError'
import { Link } from './router'

interface AdminPageProps {
	user: User
	onSignOut(): void
	onSessionEnded(notice?: string): void
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; users: AdminUser[] }
	| { status: 'forbidden'; message: string }
	| { status: 'error'; message: string }

/** `/admin`: every user's balance, allowance and spending; grants and allowances inline. */
export function AdminPage({ user, onSignOut, onSessionEnded }: AdminPageProps) {
	const budget = useBudget()
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
	const [editing, setEditing] = useState<string | null>(null)

	const load = useCallback(() => {
		api.admin
			.listUsers()
			.then((users) => setLoaded({ status: 'ready', users }))
			.catch((error: unknown) => {
				if (isApiError(error) && error.code === 'unauthenticated') {
					onSessionEnded(describeError(error))
				} else if (isApiError(error) && error.code === 'forbidden') {
					setLoaded({ status: 'forbidden', message: error.message })
				} else setLoaded({ status: 'error', message: describeError(error) })
			})
	}, [onSessionEnded])

	useEffect(() => {
		document.title = 'Admin · Arbor'
		load()
		return () => {
			document.title = 'Arbor'
		}
	}, [load])

	const onCredits = (userId: string, credits: Credits) => {
		setLoaded((was) =>
			was.status === 'ready'
				? { ...was, users: was.users.map((u) => (u.id === userId ? { ...u, credits } : u)) }
				: was,
		)
		if (userId === user.id) budget?.credits.set(credits)
	}
	const onAllowance = (userId: string) => {
		load()
		if (userId === user.id) void budget?.credits.refresh()
	}

	const everyone = loaded.status === 'ready' ? loaded.users : []
	// Link guests are listed apart (AdminGuests): they are not accounts with allowances.
	const users = everyone.filter((u) => !u.isGuest)
	const guests = everyone.filter((u) => u.isGuest)
	// Users without their own allowance get the instance default: read it off one of them.
	const defaultAllowance = users.find((u) => u.monthlyAllowance === null)?.credits.allowance ?? null

	return (
		<div className="list-page">
			<AppHeader user={user} onSignOut={onSignOut} />
			<main className="list-main admin-page" data-testid="admin-page">
				<Link to="/" className="back-link back-link--page">
					<span aria-hidden="true">←</span> Boards
				</Link>
				<div className="list-heading">
					<div>
						<h1>People and credits</h1>
						<p className="muted">
							Balances, this month’s spending and allowances.
							{defaultAllowance !== null &&
								` The instance default is ${formatCredits(defaultAllowance)} credits a month.`}
						</p>
					</div>
				</div>
				{loaded.status === 'loading' && <div className="list-skeleton" aria-busy="true" />}
				{loaded.status === 'forbidden' && (
					<div className="notice-card" data-testid="admin-forbidden">
						<h2>Admins only</h2>
						<p>{loaded.message}</p>
					</div>
				)}
				{loaded.status === 'error' && (
					<p className="form-error" role="alert">
						{loaded.message}
					</p>
				)}
				{loaded.status === 'ready' && users.length === 0 && (
					<p className="usage-table__empty" data-testid="admin-empty">
						No one has signed up yet.
					</p>
				)}
				{users.length > 0 && (
					<div className="card card--table">
						<table className="data-table admin-table" data-testid="admin-users">
							<thead>
								<tr>
									<th scope="col">Person</th>
									<th scope="col">Balance</th>
									<th scope="col" className="num">
										Spent
									</th>
									<th scope="col" className="num">
										Held
									</th>
									<th scope="col">Allowance</th>
									<th scope="col">
										<span className="visually-hidden">Actions</span>
									</th>
								</tr>
							</thead>
							<tbody>
								{users.map((row) => (
									<Fragment key={row.id}>
										<tr data-testid="admin-user-row" data-user-id={row.id} data-email={row.email}>
											<td>
												<div className="admin-table__person">
													<div className="admin-table__who">
														<strong>
															{row.name}
															{row.id === user.id && <span className="muted"> (you)</span>}
														</strong>
														<span className="muted">{row.email}</span>
													</div>
													{row.isAdmin && <span className="role-badge">Admin</span>}
												</div>
											</td>
											<td className="admin-table__balance">
												<span data-testid="admin-balance">
													{formatCredits(row.credits.balance)}
												</span>
												<BudgetBar credits={row.credits} size="small" />
											</td>
											<td className="num" data-testid="admin-spent">
												{formatCredits(row.credits.spent)}
											</td>
											<td className="num">{formatCredits(row.credits.reserved)}</td>
											<td data-testid="admin-allowance">
												{formatCredits(row.credits.allowance)}
												<span className="muted">
													{row.monthlyAllowance === null ? ' · default' : ' · custom'}
												</span>
											</td>
											<td className="num">
												<button
													type="button"
													className="arbor-button arbor-button--small"
													data-testid="admin-manage"
													aria-expanded={editing === row.id}
													onClick={() => setEditing((id) => (id === row.id ? null : row.id))}
												>
													{editing === row.id ? 'Done' : 'Manage'}
												</button>
											</td>
										</tr>
										{editing === row.id && (
											<tr>
												<td colSpan={6} className="admin-table__editor-cell">
													<AdminUserEditor
														user={row}
														defaultAllowance={defaultAllowance}
														onCredits={(credits) => onCredits(row.id, credits)}
														onAllowance={() => onAllowance(row.id)}
													/>
												</td>
											</tr>
										)}
									</Fragment>
								))}
							</tbody>
						</table>
					</div>
				)}
				<AdminGuests guests={guests} />
				{loaded.status === 'ready' && <ModelPrices />}
				{loaded.status === 'ready' && <PolicyEditor />}
			</main>
		</div>
	)
}
