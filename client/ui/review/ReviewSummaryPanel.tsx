import { useEffect, useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import type { Comment, Decision, ReviewSummary } from '../../../shared/review'
import { imageFileUrl } from '../../api/client'
import { reviewApi, reviewZipUrl } from '../../api/review'
import type { BoardContextValue } from '../../board/BoardContext'
import { ensureVisible } from '../../board/reveal'
import { DownloadLink } from '../DownloadLink'
import { describeError } from '../describeError'
import { relativeTime } from '../relativeTime'
import { useToasts } from '../Toasts'
import { LockIcon } from './LockIcon'
import { type ReviewContextValue, useReview } from './ReviewContext'
import { summaryTally } from './reviewText'
import { findCandidate, useNow } from './useReviewState'

interface ReviewSummaryPanelProps {
	editor: Editor
	board: BoardContextValue
	onClose(): void
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; summary: ReviewSummary }
	| { status: 'error'; message: string }

const SECTIONS = [
	{ key: 'committed', title: 'Committed picks', tone: 'committed' },
	{ key: 'approved', title: 'Approved', tone: 'approved' },
	{ key: 'starred', title: 'Starred', tone: 'starred' },
	{ key: 'rejected', title: 'Rejected', tone: 'rejected' },
] as const

const TALLY_TONES = {
	committed: 'committed',
	approved: 'approved',
	starred: 'starred',
	rejected: 'rejected',
	openComments: 'comments',
} as const

const THUMB_MARKS: Record<string, string> = { approved: '✓', rejected: '✕', starred: '★' }

/**
 * Where the review stands: committed picks, approvals, stars, rejections and open comments, each
 * a thumbnail that finds the candidate on the canvas; "Export" downloads it all as a zip.
 */
export function ReviewSummaryPanel(props: ReviewSummaryPanelProps) {
	const review = useReview()
	return review ? <SummaryPanel {...props} review={review} /> : null
}

function SummaryPanel(props: ReviewSummaryPanelProps & { review: ReviewContextValue }) {
	const { editor, board, review, onClose } = props
	const toasts = useToasts()
	const now = useNow()
	// Any badge moving means a decision or a comment landed: read the summary again.
	const marks = useValue('review marks', () => review.marks.get(), [review])
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })

	useEffect(() => {
		const controller = new AbortController()
		void marks
		reviewApi
			.summary(review.boardId, controller.signal)
			.then((summary) => setLoaded({ status: 'ready', summary }))
			.catch((error: unknown) => {
				if (!controller.signal.aborted)
					setLoaded({ status: 'error', message: describeError(error, 'board') })
			})
		return () => controller.abort()
	}, [review.boardId, marks])

	const show = (imageId: string) => {
		const candidate = findCandidate(editor, imageId)
		if (!candidate) {
			toasts.show('info', 'That image’s node is no longer on the board; it is still in the export.')
			return
		}
		board.pick(candidate)
		ensureVisible(editor, [candidate.shapeId])
	}

	const summary = loaded.status === 'ready' ? loaded.summary : null
	const decided = summary ? SECTIONS.reduce((n, s) => n + summary[s.key].length, 0) : 0
	const isEmpty = summary !== null && decided === 0 && summary.openComments.length === 0
	return (
		<aside
			className="side-panel review-summary"
			data-testid="review-summary"
			aria-label="Review summary"
			onKeyDown={(event) => {
				if (event.key !== 'Escape') return
				event.stopPropagation()
				onClose()
			}}
		>
			<header className="side-panel__header">
				<div>
					<div className="eyebrow">Review session</div>
					<h2>Summary</h2>
				</div>
				<button
					type="button"
					className="icon-button"
					data-testid="review-summary-close"
					aria-label="Close the review summary"
					title="Close (Esc)"
					onClick={onClose}
				>
					×
				</button>
			</header>
			{summary && (
				<ul className="review-summary__tally" aria-label="Totals" data-testid="review-tally">
					{summaryTally({
						committed: summary.committed.length,
						approved: summary.approved.length,
						starred: summary.starred.length,
						rejected: summary.rejected.length,
						openComments: summary.openComments.length,
					}).map(({ key, count, label }) => (
						<li key={key} className={`review-tally review-tally--${TALLY_TONES[key]}`}>
							<strong>{count}</strong> {label}
						</li>
					))}
				</ul>
			)}
			<DownloadLink
				className="arbor-button arbor-button--small review-summary__export"
				data-testid="review-export"
				href={reviewZipUrl(review.boardId)}
				fallbackName="review.zip"
				disabled={isEmpty}
				title="Finals as PNGs, the lineage and every decision, zipped"
			>
				Export (zip)
			</DownloadLink>
			{loaded.status === 'loading' && <div className="panel-skeleton" aria-busy="true" />}
			{loaded.status === 'error' && <p className="form-error">{loaded.message}</p>}
			{isEmpty && (
				<div className="review-summary__empty" data-testid="review-summary-empty">
					<p>Nothing decided yet.</p>
					<p className="muted">
						Open a candidate and approve (P), reject (Shift+X) or star (*) it, or leave a comment.
						Marks show on the canvas for everyone, and gather here.
					</p>
				</div>
			)}
			{summary &&
				SECTIONS.map((section) =>
					summary[section.key].length === 0 ? null : (
						<DecisionGroup
							key={section.key}
							title={section.title}
							tone={section.tone}
							decisions={summary[section.key]}
							boardId={review.boardId}
							now={now}
							onShow={show}
						/>
					),
				)}
			{summary && summary.openComments.length > 0 && (
				<OpenComments
					comments={summary.openComments}
					boardId={review.boardId}
					now={now}
					onShow={show}
				/>
			)}
		</aside>
	)
}

function DecisionGroup(props: {
	title: string
	tone: string
	decisions: Decision[]
	boardId: string
	now: number
	onShow(imageId: string): void
}) {
	return (
		<section className="review-group" data-testid={`review-group-${props.tone}`}>
			<h3 className={`review-group__title review-group__title--${props.tone}`}>
				{props.title} <span className="count-badge">{props.decisions.length}</span>
			</h3>
			<ul className="review-group__grid">
				{props.decisions.map((decision) => (
					<li key={decision.imageId}>
						<button
							type="button"
							className={`review-thumb review-thumb--${props.tone}`}
							data-testid="review-item"
							data-image-id={decision.imageId}
							title={`Show it on the board — ${decision.by.name}, ${relativeTime(decision.at, props.now)}`}
							onClick={() => props.onShow(decision.imageId)}
						>
							<img src={imageFileUrl(props.boardId, decision.imageId, 'thumb')} alt="" />
							<span className={`arbor-mark arbor-mark--${props.tone} review-thumb__mark`}>
								{props.tone === 'committed' ? <LockIcon size={10} /> : THUMB_MARKS[props.tone]}
							</span>
							<span className="review-thumb__by">
								{decision.by.name} · {relativeTime(decision.at, props.now)}
							</span>
						</button>
					</li>
				))}
			</ul>
		</section>
	)
}

function OpenComments(props: {
	comments: Comment[]
	boardId: string
	now: number
	onShow(imageId: string): void
}) {
	return (
		<section className="review-group" data-testid="review-group-comments">
			<h3 className="review-group__title">
				Open comments <span className="count-badge">{props.comments.length}</span>
			</h3>
			<ul className="review-comments">
				{props.comments.map((comment) => (
					<li key={comment.id}>
						<button
							type="button"
							className="review-comment"
							data-testid="review-comment"
							onClick={() => props.onShow(comment.imageId)}
						>
							<img src={imageFileUrl(props.boardId, comment.imageId, 'thumb')} alt="" />
							<span className="review-comment__text">
								<span className="review-comment__meta">
									{comment.author.name} · {relativeTime(comment.createdAt, props.now)}
								</span>
								<span className="review-comment__body">{comment.body}</span>
							</span>
						</button>
					</li>
				))}
			</ul>
		</section>
	)
}
