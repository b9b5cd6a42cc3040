import { type FormEvent, useEffect, useState } from 'react'
import type { User } from '../../../shared/api'
import type { ShareInfo } from '../../../shared/sharing'
import { isApiError } from '../../api/client'
import { sharingApi } from '../../api/sharing'
import { boardPath, Link, navigate } from '../router'
import { rememberGuestBoard } from './guestBoard'
import { LANDING_ROLE_TEXT, timeUntil } from './shareText'
import { describeLinkError } from './sharingErrors'
import './sharing.css'

interface ShareLandingProps {
	token: string
	/** Who is signed in on this browser, if anyone. */
	user: User | null
	/** The join answered with a user (a new guest, or the member already signed in). */
	onJoined(user: User): void
}

type Landing =
	| { status: 'loading' }
	| { status: 'ready'; info: ShareInfo }
	| { status: 'error'; title: string; message: string }

/**
 * `/s/:token`: what the link opens ("You're invited to review Harbour"), a name, Join.
 * Works signed out; someone who can already open the board goes straight to it.
 */
export function ShareLanding({ token, user, onJoined }: ShareLandingProps) {
	const [landing, setLanding] = useState<Landing>({ status: 'loading' })
	const [name, setName] = useState(user && !user.isGuest ? user.name : '')
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const userId = user?.id

	useEffect(() => {
		let cancelled = false
		sharingApi
			.shareInfo(token)
			.then(async (info) => {
				if (userId && (await canOpen(info.board.id))) {
					if (!cancelled) navigate(boardPath(info.board.id), { replace: true })
					return
				}
				if (!cancelled) setLanding({ status: 'ready', info })
			})
			.catch((failure: unknown) => {
				if (!cancelled) setLanding({ status: 'error', ...describeLinkError(failure) })
			})
		return () => {
			cancelled = true
		}
	}, [token, userId])

	useEffect(() => {
		if (landing.status === 'ready') document.title = `Join ${landing.info.board.name} · Arbor`
		return () => {
			document.title = 'Arbor'
		}
	}, [landing])

	const join = async (event: FormEvent) => {
		event.preventDefault()
		const trimmed = name.trim()
		if (!trimmed) {
			setError('Type the name others will see next to your cursor.')
			return
		}
		setBusy(true)
		setError(null)
		try {
			const joined = await sharingApi.joinShare(token, trimmed)
			if (joined.user.isGuest && landing.status === 'ready')
				rememberGuestBoard({ id: joined.boardId, name: landing.info.board.name })
			onJoined(joined.user)
			navigate(boardPath(joined.boardId), { replace: true })
		} catch (failure) {
			setBusy(false)
			if (isApiError(failure) && (failure.status === 404 || failure.status === 403)) {
				setLanding({ status: 'error', ...describeLinkError(failure) })
			} else setError(describeLinkError(failure).message)
		}
	}

	return (
		<main className="landing" data-testid="share-landing" data-state={landing.status}>
			<div className="landing__card">
				<div className="landing__mark" aria-hidden="true">
					<span />
					<span />
					<span />
					<span />
				</div>
				{landing.status === 'loading' && (
					<div className="canvas-loading" style={{ position: 'static' }}>
						<span className="spinner" aria-hidden="true" />
						Opening the link…
					</div>
				)}
				{landing.status === 'error' && (
					<>
						<h1 data-testid="share-landing-error">{landing.title}</h1>
						<p className="muted" data-testid="share-landing-message">
							{landing.message}
						</p>
						<Link to="/" className="arbor-button">
							{user && !user.isGuest ? 'Go to your boards' : 'Go to Arbor'}
						</Link>
					</>
				)}
				{landing.status === 'ready' && (
					<Invitation
						info={landing.info}
						user={user}
						name={name}
						busy={busy}
						error={error}
						onName={setName}
						onJoin={join}
					/>
				)}
			</div>
		</main>
	)
}

/** Whether the signed-in person can already open the board (a member, or this link's guest). */
async function canOpen(boardId: string): Promise<boolean> {
	try {
		await sharingApi.getBoardAccess(boardId)
		return true
	} catch {
		// No access yet (or no session): the invitation is what they need.
		return false
	}
}

function Invitation(props: {
	info: ShareInfo
	user: User | null
	name: string
	busy: boolean
	error: string | null
	onName(name: string): void
	onJoin(event: FormEvent): void
}) {
	const { info, user } = props
	return (
		<>
			<h1 data-testid="share-landing-title">
				{LANDING_ROLE_TEXT[info.role].invited}{' '}
				<span className="landing__board">{info.board.name}</span>
			</h1>
			<div className="landing__facts">
				<span className="landing__fact" data-testid="share-landing-fact">
					{LANDING_ROLE_TEXT[info.role].fact}
				</span>
				{info.expiresAt && (
					<span className="landing__fact">
						Link expires {timeUntil(info.expiresAt, Date.now())}
					</span>
				)}
			</div>
			<form className="landing__form" onSubmit={props.onJoin}>
				<label className="field">
					Your name
					<input
						data-testid="join-name"
						autoComplete="name"
						placeholder="How others will see you"
						maxLength={60}
						// biome-ignore lint/a11y/noAutofocus: the page exists to take this one field
						autoFocus
						value={props.name}
						onChange={(e) => props.onName(e.target.value)}
					/>
				</label>
				{props.error && (
					<p className="field-error" role="alert" data-testid="join-error">
						{props.error}
					</p>
				)}
				<button
					type="submit"
					className="arbor-button arbor-button--primary arbor-button--wide"
					data-testid="join-submit"
					disabled={props.busy}
				>
					{props.busy ? 'Joining…' : 'Join the board'}
				</button>
			</form>
			<p className="landing__foot">
				{user && !user.isGuest
					? `You’re signed in as ${user.name}, who isn’t on this board. Joining as a guest signs you out of that account in this browser.`
					: 'No account needed. You join as a guest on this board only.'}
			</p>
		</>
	)
}
