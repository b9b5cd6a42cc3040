import { useCallback, useEffect, useState } from 'react'
import type { Credits, User } from '../../shared/api'
import { api, isApiError } from '../api/client'
import { BudgetProvider } from '../budget/BudgetContext'
import { AdminPage } from './AdminPage'
import { AuthPage } from './AuthPage'
import { BoardListPage } from './BoardListPage'
import { BoardPage } from './BoardPage'
import { describeError } from './describeError'
import { Link, navigate, parseRoute, type Route, usePathname } from './router'
import { ShareLanding } from './sharing/ShareLanding'
import { UsagePage } from './UsagePage'

type Session =
	| { status: 'loading' }
	| { status: 'signed-out'; notice?: string }
	| { status: 'signed-in'; user: User; credits?: Credits }
	| { status: 'error'; message: string }

/** Who is signed in decides what every route shows; the routes decide the rest. */
export function App() {
	const pathname = usePathname()
	const route = parseRoute(pathname)
	const [session, setSession] = useState<Session>({ status: 'loading' })

	const loadSession = useCallback(() => {
		api
			.me()
			.then(({ user, credits }) => setSession({ status: 'signed-in', user, credits }))
			.catch((error: unknown) => {
				if (isApiError(error) && error.code === 'unauthenticated') {
					setSession({ status: 'signed-out' })
				} else setSession({ status: 'error', message: describeError(error) })
			})
	}, [])
	useEffect(loadSession, [loadSession])

	const onSignedIn = useCallback((user: User) => setSession({ status: 'signed-in', user }), [])
	const onSessionEnded = useCallback((notice?: string) => {
		setSession({ status: 'signed-out', notice })
	}, [])
	const onSignOut = useCallback(() => {
		api
			.logout()
			.catch(() => {
				// Signing out locally still makes sense if the server is unreachable; the cookie expires.
			})
			.finally(() => {
				setSession({ status: 'signed-out' })
				navigate('/')
			})
	}, [])

	if (session.status === 'loading') return <div className="page-loading" aria-busy="true" />
	if (session.status === 'error') {
		return (
			<main className="centered-page">
				<div className="notice-card">
					<h1>Arbor is unreachable</h1>
					<p>{session.message}</p>
					<button type="button" className="arbor-button" onClick={loadSession}>
						Try again
					</button>
				</div>
			</main>
		)
	}
	// A share link opens for everyone: signed out it offers to join as a guest.
	if (route.name === 'share') {
		return (
			<ShareLanding
				key={route.token}
				token={route.token}
				user={session.status === 'signed-in' ? session.user : null}
				onJoined={onSignedIn}
			/>
		)
	}
	if (session.status === 'signed-out') {
		return <AuthPage onSignedIn={onSignedIn} notice={session.notice} />
	}
	return (
		<BudgetProvider key={session.user.id} user={session.user} initialCredits={session.credits}>
			<SignedInRoute
				route={route}
				user={session.user}
				onSignOut={onSignOut}
				onSessionEnded={onSessionEnded}
			/>
		</BudgetProvider>
	)
}

interface SignedInRouteProps {
	route: Route
	user: User
	onSignOut(): void
	onSessionEnded(notice?: string): void
}

function SignedInRoute({ route, user, onSignOut, onSessionEnded }: SignedInRouteProps) {
	// Guests have one board and no account pages: those routes show their home instead.
	const shown: Route =
		user.isGuest && (route.name === 'usage' || route.name === 'admin') ? { name: 'home' } : route
	switch (shown.name) {
		case 'home':
			return <BoardListPage user={user} onSignOut={onSignOut} onSessionEnded={onSessionEnded} />
		case 'board':
			return (
				<BoardPage
					key={shown.boardId}
					boardId={shown.boardId}
					user={user}
					onSessionEnded={onSessionEnded}
				/>
			)
		case 'usage':
			return <UsagePage user={user} onSignOut={onSignOut} onSessionEnded={onSessionEnded} />
		case 'admin':
			return <AdminPage user={user} onSignOut={onSignOut} onSessionEnded={onSessionEnded} />
		default:
			return (
				<main className="centered-page">
					<div className="notice-card">
						<h1>Nothing here</h1>
						<p>This page doesn’t exist.</p>
						<Link to="/" className="arbor-button">
							Go to your boards
						</Link>
					</div>
				</main>
			)
	}
}
