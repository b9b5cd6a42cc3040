import { useEffect, useState } from 'react'
import type { Decision, DecisionState } from '../../../shared/review'
import { reviewApi } from '../../api/review'
import { describeError } from '../describeError'
import { decisionSentence } from './reviewText'
import { useNow } from './useReviewState'

const SHOWN = 3

interface DecisionHistoryProps {
	boardId: string
	imageId: string
	/** The live mark: when it moves, someone decided, so the history is read again. */
	current: DecisionState
	selfId: string
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; decisions: Decision[] }
	| { status: 'error'; message: string }

/** Who marked this candidate what, newest first: "Ana approved · was starred · 2 min ago". */
export function DecisionHistory({ boardId, imageId, current, selfId }: DecisionHistoryProps) {
	const now = useNow()
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
	const [expanded, setExpanded] = useState(false)

	useEffect(() => {
		const controller = new AbortController()
		// `current` is the trigger: a decision landed (ours or anyone's).
		void current
		reviewApi
			.decisionHistory(boardId, imageId, controller.signal)
			.then((decisions) =>
				setLoaded({
					status: 'ready',
					decisions: [...decisions].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id),
				}),
			)
			.catch((error: unknown) => {
				if (!controller.signal.aborted)
					setLoaded({ status: 'error', message: describeError(error, 'image') })
			})
		return () => controller.abort()
	}, [boardId, imageId, current])

	if (loaded.status === 'loading') return null
	if (loaded.status === 'error')
		return <p className="review-history__error muted">History unavailable: {loaded.message}</p>
	const { decisions } = loaded
	if (decisions.length === 0) return null
	const shown = expanded ? decisions : decisions.slice(0, SHOWN)
	return (
		<div className="review-history">
			<ol className="review-history__list" data-testid="decision-history" aria-label="Decisions">
				{shown.map((decision) => (
					<li
						key={decision.id}
						data-testid="decision-history-item"
						data-state={decision.state}
						title={new Date(decision.at).toLocaleString()}
					>
						<span
							className={`review-history__dot review-history__dot--${decision.state}`}
							aria-hidden="true"
						/>
						{decisionSentence(decision, now, selfId)}
					</li>
				))}
			</ol>
			{decisions.length > SHOWN && (
				<button
					type="button"
					className="link-button review-history__more"
					onClick={() => setExpanded((open) => !open)}
				>
					{expanded ? 'Show fewer' : `Show all ${decisions.length}`}
				</button>
			)}
		</div>
	)
}
