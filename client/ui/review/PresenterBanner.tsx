import { useEffect, useState } from 'react'
import { createUserId, type Editor, useValue } from 'tldraw'
import type { BoardSync } from '../../board/BoardSync'
import { Avatar } from '../Avatar'

/**
 * The review's presenter, over the canvas. To the presenter: "You are presenting · Stop". To
 * everyone else: "Ana is presenting · Follow / Dismiss", then "Following Ana · Stop following".
 * Following is tldraw's own: the viewport chases the presenter's camera, and any pan or zoom of
 * one's own stops it.
 */
export function PresenterBanner({ editor, sync }: { editor: Editor; sync: BoardSync }) {
	const presenting = useValue('presenting', () => sync.presenting.get(), [sync])
	const presenters = useValue('presenters', () => sync.presenters.get(), [sync])
	const following = useValue('following', () => editor.getInstanceState().followingUserId, [editor])
	const [dismissed, setDismissed] = useState<string | null>(null)
	const presenter = presenters[0] ?? null
	const presenterUserId = presenter ? createUserId(presenter.id) : null
	const isFollowing = presenterUserId !== null && following === presenterUserId

	// A presenter who stops takes their followers' lock with them; a new session asks again.
	useEffect(() => {
		if (following && !presenters.some((p) => createUserId(p.id) === following))
			editor.stopFollowingUser()
	}, [editor, following, presenters])
	useEffect(() => {
		if (dismissed && !presenters.some((p) => p.id === dismissed)) setDismissed(null)
	}, [dismissed, presenters])

	if (presenting) {
		return (
			<div
				className="presenter-banner is-self"
				data-testid="presenter-banner"
				data-canvas-chrome="presenter-banner"
				data-self="true"
			>
				<span className="presenter-banner__live" aria-hidden="true" />
				<span className="presenter-banner__text">
					You are presenting
					<span className="presenter-banner__sub"> · others can follow your view</span>
				</span>
				<button
					type="button"
					className="presenter-banner__button"
					data-testid="present-stop"
					onClick={() => sync.setPresenting(false)}
				>
					Stop
				</button>
			</div>
		)
	}
	if (!presenter || (dismissed === presenter.id && !isFollowing)) return null
	const others = presenters.length > 1 ? ` (+${presenters.length - 1})` : ''
	return (
		<div
			className={`presenter-banner${isFollowing ? ' is-following' : ''}`}
			data-testid="presenter-banner"
			data-canvas-chrome="presenter-banner"
			data-self="false"
			data-presenter-id={presenter.id}
			data-following={isFollowing ? 'true' : 'false'}
			role="status"
		>
			<Avatar name={presenter.name} color={presenter.color} size="small" />
			<span className="presenter-banner__text">
				{isFollowing ? `Following ${presenter.name}` : `${presenter.name} is presenting${others}`}
			</span>
			{isFollowing ? (
				<button
					type="button"
					className="presenter-banner__button"
					data-testid="stop-following"
					onClick={() => editor.stopFollowingUser()}
				>
					Stop following
				</button>
			) : (
				<>
					<button
						type="button"
						className="presenter-banner__button presenter-banner__button--primary"
						data-testid="follow-presenter"
						onClick={() => {
							if (presenterUserId) editor.startFollowingUser(presenterUserId)
						}}
					>
						Follow
					</button>
					<button
						type="button"
						className="presenter-banner__button presenter-banner__button--quiet"
						data-testid="dismiss-presenter"
						onClick={() => setDismissed(presenter.id)}
					>
						Dismiss
					</button>
				</>
			)}
		</div>
	)
}
