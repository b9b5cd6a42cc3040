import { useState } from 'react'
import type { Editor } from 'tldraw'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import { reviewApi, type SettableDecision } from '../../api/review'
import type { ActiveCandidate } from '../../board/BoardContext'
import { describeError } from '../describeError'
import { useToasts } from '../Toasts'
import { CommitPickButton } from './CommitPickButton'
import { DecisionBar } from './DecisionBar'
import { DecisionHistory } from './DecisionHistory'
import { PublishToggle } from './PublishToggle'
import type { ReviewContextValue } from './ReviewContext'
import type { ReviewAccess } from './reviewAccess'
import { DECISION_LABELS } from './reviewText'
import { useImageMarks, useReviewKeys } from './useReviewState'

interface ReviewSectionProps {
	editor: Editor
	review: ReviewContextValue
	active: ActiveCandidate
	node: GenerationShape | undefined
	access: ReviewAccess
}

/**
 * The inspector's review block for the open candidate: its mark (Approve / Reject / Star /
 * Clear, with keys), who marked it what, Commit pick for editors and Publish for owners' finals.
 */
export function ReviewSection({ editor, review, active, node, access }: ReviewSectionProps) {
	const toasts = useToasts()
	const { decision } = useImageMarks(review, active.imageId)
	// What we just set, shown until the server's badges catch up (they come over awareness).
	const [optimistic, setOptimistic] = useState<{ state: SettableDecision; over: string } | null>(
		null,
	)
	const [busy, setBusy] = useState(false)
	const shown = optimistic && optimistic.over === decision ? optimistic.state : decision

	const decide = async (state: SettableDecision) => {
		if (busy || decision === 'committed') return
		setBusy(true)
		setOptimistic({ state, over: decision })
		try {
			await reviewApi.setDecision(review.boardId, active.imageId, state)
		} catch (error) {
			setOptimistic(null)
			toasts.show('error', describeError(error, 'image'))
		} finally {
			setBusy(false)
		}
	}

	useReviewKeys(editor, (action) => {
		if (action.kind === 'comment') {
			const input = document.querySelector<HTMLTextAreaElement>('[data-testid="comment-input"]')
			input?.focus()
			return !!input
		}
		const allowed =
			action.state === 'starred' || action.state === 'none' ? access.mark : access.decide
		if (!allowed) return false
		void decide(action.state)
		return true
	})

	const canAct = access.decide || access.mark || access.commit || access.publish
	return (
		<section className="review-section" data-testid="review-section" data-decision={shown}>
			<header className="review-section__header">
				<h3>Review</h3>
				<span
					className={`decision-pill decision-pill--${shown}`}
					data-testid="decision-current"
					data-state={shown}
				>
					{DECISION_LABELS[shown]}
				</span>
			</header>
			<DecisionBar state={shown} access={access} busy={busy} onDecide={(s) => void decide(s)} />
			{!canAct && shown !== 'committed' && (
				<p className="review-section__note muted">
					You can see the marks; only the team sets them.
				</p>
			)}
			{/* The history is the team's record; the server keeps it from clients. */}
			{review.role !== 'client' && (
				<DecisionHistory
					boardId={review.boardId}
					imageId={active.imageId}
					current={decision}
					selfId={review.selfId}
				/>
			)}
			{access.commit && decision !== 'committed' && (
				<CommitPickButton editor={editor} boardId={review.boardId} active={active} node={node} />
			)}
			{access.publish && <PublishToggle boardId={review.boardId} imageId={active.imageId} />}
		</section>
	)
}
