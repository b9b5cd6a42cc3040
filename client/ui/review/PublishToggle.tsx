import { useEffect, useState } from 'react'
import { sharingApi } from '../../api/sharing'
import { describeError } from '../describeError'
import { useToasts } from '../Toasts'

type State =
	| { status: 'loading' }
	| { status: 'ready'; published: boolean; busy: boolean }
	| { status: 'error' }

/**
 * Owners: show this final (and the path that led to it) to clients with a link, or withdraw it.
 * The current state is read from the board's publications.
 */
export function PublishToggle({ boardId, imageId }: { boardId: string; imageId: string }) {
	const toasts = useToasts()
	const [state, setState] = useState<State>({ status: 'loading' })

	useEffect(() => {
		const controller = new AbortController()
		sharingApi
			.publications(boardId, controller.signal)
			.then((body) =>
				setState({ status: 'ready', published: body.imageIds.includes(imageId), busy: false }),
			)
			.catch((error: unknown) => {
				if (controller.signal.aborted) return
				// The toggle hides itself; the reason goes to the console for whoever debugs it.
				console.warn('[arbor] publications', error)
				setState({ status: 'error' })
			})
		return () => controller.abort()
	}, [boardId, imageId])

	if (state.status !== 'ready') return null
	const { published, busy } = state

	const toggle = async () => {
		setState({ status: 'ready', published, busy: true })
		try {
			if (published) await sharingApi.unpublish(boardId, imageId)
			else await sharingApi.publish(boardId, imageId)
			setState({ status: 'ready', published: !published, busy: false })
			toasts.show(
				'success',
				published ? 'Withdrawn from the client view' : 'Published to the client view',
			)
		} catch (error) {
			setState({ status: 'ready', published, busy: false })
			toasts.show('error', describeError(error))
		}
	}

	return (
		<label className={`publish-toggle${published ? ' is-on' : ''}`}>
			<input
				type="checkbox"
				role="switch"
				aria-checked={published}
				data-testid="publish-toggle"
				checked={published}
				disabled={busy}
				onChange={() => void toggle()}
			/>
			<span className="publish-toggle__track" aria-hidden="true" />
			<span className="publish-toggle__text">
				<span className="publish-toggle__label">Publish to client view</span>
				<span className="publish-toggle__hint">
					{published
						? 'Clients with a link see this final and the steps that led to it.'
						: 'Only your team sees it. Publish to show it to clients.'}
				</span>
			</span>
		</label>
	)
}
