import { useEffect, useState } from 'react'
import type { User } from '../../shared/api'
import type { BoardAccess } from '../../shared/clientView'
import { isApiError } from '../api/client'
import { sharingApi } from '../api/sharing'
import { BoardWorkspace } from './BoardWorkspace'
import { describeError } from './describeError'
import { Link } from './router'

interface BoardPageProps {
	boardId: string
	user: User
	onSessionEnded(notice?: string): void
}

type Loaded =
	| { status: 'loading' }
	| ({ status: 'ready' } & BoardAccess)
	| { status: 'error'; title: string; message: string }

/** `/boards/:boardId`: checks access through the API, then opens the live board. */
export function BoardPage({ boardId, user, onSessionEnded }: BoardPageProps) {
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })

	useEffect(() => {
		let cancelled = false
		sharingApi
			.getBoardAccess(boardId)
			.then((access) => {
				if (!cancelled) setLoaded({ status: 'ready', ...access })
			})
			.catch((error: unknown) => {
				if (cancelled) return
				if (isApiError(error) && error.code === 'unauthenticated') {
					onSessionEnded(describeError(error))
					return
				}
				const title =
					isApiError(error) && error.code === 'forbidden'
						? 'You don’t have access to this board'
						: isApiError(error) && error.code === 'not_found'
							? 'Board not found'
							: 'This board could not be opened'
				setLoaded({ status: 'error', title, message: describeError(error, 'board') })
			})
		return () => {
			cancelled = true
		}
	}, [boardId, onSessionEnded])

	useEffect(() => {
		if (loaded.status === 'ready') document.title = `${loaded.board.name} · Arbor`
		return () => {
			document.title = 'Arbor'
		}
	}, [loaded])

	if (loaded.status === 'loading') return <div className="page-loading" aria-busy="true" />
	if (loaded.status === 'error') {
		return (
			<main className="centered-page">
				<div className="notice-card" data-testid="board-error">
					<h1>{loaded.title}</h1>
					<p>{loaded.message}</p>
					{user.isGuest ? (
						<p className="muted">Guests can open only the board their link leads to.</p>
					) : (
						<Link to="/" className="arbor-button">
							Back to your boards
						</Link>
					)}
				</div>
			</main>
		)
	}
	return (
		<BoardWorkspace
			board={loaded.board}
			role={loaded.role}
			clientView={loaded.clientView}
			ownerName={loaded.owner.name}
			user={user}
			onSessionEnded={onSessionEnded}
		/>
	)
}
