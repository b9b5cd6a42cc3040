import { useValue } from 'tldraw'
import { type AccessRole, canEdit } from '../../../shared/api'
import type { BoardSync } from '../../board/BoardSync'

interface ReviewHeaderToolsProps {
	sync: BoardSync | null
	role: AccessRole
	summaryOpen: boolean
	onToggleSummary(): void
}

/** The header's review controls: Present (others may follow your view) and the Review summary. */
export function ReviewHeaderTools({
	sync,
	role,
	summaryOpen,
	onToggleSummary,
}: ReviewHeaderToolsProps) {
	const presenting = useValue('presenting', () => sync?.presenting.get() ?? false, [sync])
	const marked = useValue('marked candidates', () => {
		const decisions = sync?.review.get().decisions ?? {}
		return Object.values(decisions).filter((state) => state !== 'none').length
	}, [sync])
	// Clients watch a presentation; they don't run one, and their summary is the client view.
	if (role === 'client') return null
	return (
		<>
			{/* Owners and editors run a review; the server drops anyone else's `presenting`. */}
			{canEdit(role) && (
				<button
					type="button"
					className={`header-button present-toggle${presenting ? ' is-live' : ''}`}
					data-testid="present-toggle"
					aria-pressed={presenting}
					disabled={!sync}
					title={
						presenting
							? 'Stop presenting'
							: 'Present: everyone on the board is offered to follow your view'
					}
					onClick={() => sync?.setPresenting(!presenting)}
				>
					<span className="present-toggle__dot" aria-hidden="true" />
					{presenting ? 'Presenting' : 'Present'}
				</button>
			)}
			<button
				type="button"
				className={`header-button${summaryOpen ? ' is-on' : ''}`}
				data-testid="review-summary-toggle"
				aria-pressed={summaryOpen}
				title="Review summary: committed picks, approvals, rejections, stars and open comments"
				onClick={onToggleSummary}
			>
				Review
				<span
					className={`count-badge${marked > 0 ? ' count-badge--review' : ''}`}
					data-testid="review-summary-count"
				>
					{marked}
				</span>
			</button>
		</>
	)
}
