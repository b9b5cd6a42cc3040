import { type FormEvent, useEffect, useRef, useState } from 'react'
import type { BoardSummary, User } from '../../shared/api'
import { api, isApiError } from '../api/client'
import { AppHeader } from './AppHeader'
import { BoardCard } from './BoardCard'
import { describeError } from './describeError'
import { InvitationsSection } from './InvitationsSection'
import { boardPath, navigate } from './router'
import { GuestHome } from './sharing/GuestHome'
import { useToasts } from './Toasts'

interface BoardListPageProps {
	user: User
	onSignOut(): void
	onSessionEnded(notice?: string): void
}

type Boards = { status: 'loading' } | { status: 'ready'; boards: BoardSummary[] }

/** The boards this person can open, newest first, and a form to start a new one. */
export function BoardListPage(props: BoardListPageProps) {
	// A guest reaches one board through their link; there is no list to show them.
	if (props.user.isGuest) return <GuestHome user={props.user} onSignOut={props.onSignOut} />
	return <MemberBoardList {...props} />
}

function MemberBoardList({ user, onSignOut, onSessionEnded }: BoardListPageProps) {
	const toasts = useToasts()
	const [boards, setBoards] = useState<Boards>({ status: 'loading' })
	const [loadError, setLoadError] = useState<string | null>(null)
	const [name, setName] = useState('')
	const [creating, setCreating] = useState(false)
	// The "name it first" toast, taken away as soon as there is a name: it must not follow the
	// person onto the board they then create.
	const nameToast = useRef<number | null>(null)
	const clearNameToast = () => {
		if (nameToast.current !== null) toasts.dismiss(nameToast.current)
		nameToast.current = null
	}

	useEffect(() => {
		let cancelled = false
		api
			.listBoards()
			.then((list) => {
				if (cancelled) return
				const sorted = [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
				setBoards({ status: 'ready', boards: sorted })
			})
			.catch((error: unknown) => {
				if (cancelled) return
				if (isApiError(error) && error.code === 'unauthenticated') {
					onSessionEnded(describeError(error))
				} else setLoadError(describeError(error))
			})
		return () => {
			cancelled = true
		}
	}, [onSessionEnded])

	const create = async (event: FormEvent) => {
		event.preventDefault()
		const trimmed = name.trim()
		if (!trimmed) {
			nameToast.current = toasts.show('error', 'Give the board a name first.')
			return
		}
		clearNameToast()
		setCreating(true)
		try {
			const board = await api.createBoard(trimmed)
			navigate(boardPath(board.id))
		} catch (error) {
			toasts.show('error', describeError(error, 'board'))
			setCreating(false)
		}
	}

	return (
		<div className="list-page">
			<AppHeader user={user} onSignOut={onSignOut} />
			<main className="list-main">
				<div className="list-heading">
					<div>
						<h1>Your boards</h1>
						<p className="muted">Each board is a shared canvas. Invite people, prompt, branch.</p>
					</div>
					<form className="create-board" onSubmit={create}>
						<input
							data-testid="board-name-input"
							placeholder="Name a new board"
							aria-label="New board name"
							maxLength={120}
							value={name}
							onChange={(e) => {
								setName(e.target.value)
								if (e.target.value.trim()) clearNameToast()
							}}
						/>
						<button
							type="submit"
							className="arbor-button arbor-button--primary"
							data-testid="board-create"
							disabled={creating}
						>
							{creating ? 'Creating…' : 'New board'}
						</button>
					</form>
				</div>
				<InvitationsSection />
				{loadError && (
					<p className="form-error" role="alert">
						{loadError}
					</p>
				)}
				{boards.status === 'loading' && !loadError && <div className="list-skeleton" />}
				{boards.status === 'ready' && boards.boards.length === 0 && (
					<section className="empty-state" data-testid="boards-empty">
						<div className="empty-state__art" aria-hidden="true">
							<span />
							<span />
							<span />
							<span />
						</div>
						<h2>Plant your first board</h2>
						<p>
							Name it above, write a prompt, and pick the candidates worth growing. Everything you
							branch stays on the canvas, with where it came from.
						</p>
					</section>
				)}
				{boards.status === 'ready' && boards.boards.length > 0 && (
					<ul className="board-grid" data-testid="board-list">
						{boards.boards.map((board) => (
							<li key={board.id}>
								<BoardCard board={board} selfId={user.id} />
							</li>
						))}
					</ul>
				)}
			</main>
		</div>
	)
}
