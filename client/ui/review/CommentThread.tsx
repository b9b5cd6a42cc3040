import { useCallback, useEffect, useState } from 'react'
import type { Comment } from '../../../shared/review'
import { reviewApi } from '../../api/review'
import { Avatar } from '../Avatar'
import { describeError } from '../describeError'
import { relativeTime } from '../relativeTime'
import { useToasts } from '../Toasts'
import { CommentComposer } from './CommentComposer'
import type { ReviewAccess } from './reviewAccess'
import { openCommentsText, threadComments } from './reviewText'
import { useNow } from './useReviewState'

interface CommentThreadProps {
	boardId: string
	imageId: string
	/** Open comments on the image per the live badges: when it moves, the thread is read again. */
	openCount: number
	selfId: string
	access: Pick<ReviewAccess, 'comment' | 'resolve'>
	/** A person's avatar colour (see ReviewContextValue.colorOf). */
	colorOf(personId: string): string
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; comments: Comment[] }
	| { status: 'error'; message: string }

/** The conversation about one candidate: threads one reply deep, resolve and reopen, a composer. */
export function CommentThread(props: CommentThreadProps) {
	const { boardId, imageId, openCount, access } = props
	const toasts = useToasts()
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
	const [replyTo, setReplyTo] = useState<Comment | null>(null)
	const [version, setVersion] = useState(0)
	const reload = useCallback(() => setVersion((v) => v + 1), [])

	useEffect(() => {
		const controller = new AbortController()
		// `openCount` and `version` are triggers: someone commented or resolved, or we did.
		void openCount
		void version
		reviewApi
			.listComments(boardId, imageId, controller.signal)
			.then((comments) => setLoaded({ status: 'ready', comments }))
			.catch((error: unknown) => {
				if (!controller.signal.aborted)
					setLoaded({ status: 'error', message: describeError(error, 'image') })
			})
		return () => controller.abort()
	}, [boardId, imageId, openCount, version])

	const resolve = async (comment: Comment, resolved: boolean) => {
		try {
			await reviewApi.resolveComment(boardId, comment.id, resolved)
			reload()
		} catch (error) {
			toasts.show('error', describeError(error))
		}
	}

	const comments = loaded.status === 'ready' ? loaded.comments : []
	const threads = threadComments(comments)
	const open = comments.filter((c) => c.resolvedAt === null).length
	return (
		<section className="comments" data-testid="comments" data-count={comments.length}>
			<header className="comments__header">
				<h3>Comments</h3>
				<span className="comments__count" data-testid="comments-open">
					{loaded.status === 'ready' ? openCommentsText(open) : ''}
				</span>
			</header>
			{loaded.status === 'error' && <p className="form-error">{loaded.message}</p>}
			{loaded.status === 'ready' && threads.length === 0 && (
				<p className="comments__empty muted" data-testid="comments-empty">
					{access.comment
						? 'No comments yet. Say what works and what should change.'
						: 'No comments on this image.'}
				</p>
			)}
			{threads.length > 0 && (
				<ol className="comments__threads">
					{threads.map(({ comment, replies }) => (
						<li
							key={comment.id}
							className={`comment-thread${comment.resolvedAt ? ' is-resolved' : ''}`}
							data-testid="comment-thread"
							data-resolved={comment.resolvedAt ? 'true' : 'false'}
						>
							<CommentItem comment={comment} selfId={props.selfId} colorOf={props.colorOf} />
							{replies.map((reply) => (
								<CommentItem
									key={reply.id}
									comment={reply}
									selfId={props.selfId}
									colorOf={props.colorOf}
									isReply
								/>
							))}
							{(access.comment || access.resolve) && (
								<div className="comment-thread__actions">
									{access.comment && !comment.resolvedAt && (
										<button
											type="button"
											className="link-button"
											data-testid="comment-reply"
											onClick={() => setReplyTo(comment)}
										>
											Reply
										</button>
									)}
									{access.resolve && (
										<button
											type="button"
											className="link-button"
											data-testid={comment.resolvedAt ? 'comment-reopen' : 'comment-resolve'}
											onClick={() => void resolve(comment, !comment.resolvedAt)}
										>
											{comment.resolvedAt ? 'Reopen' : 'Resolve'}
										</button>
									)}
								</div>
							)}
						</li>
					))}
				</ol>
			)}
			{access.comment && (
				<CommentComposer
					boardId={boardId}
					imageId={imageId}
					replyTo={replyTo}
					onCancelReply={() => setReplyTo(null)}
					onPosted={() => {
						setReplyTo(null)
						reload()
					}}
				/>
			)}
		</section>
	)
}

function CommentItem(props: {
	comment: Comment
	selfId: string
	colorOf(personId: string): string
	isReply?: boolean
}) {
	const { comment } = props
	const now = useNow()
	const name = comment.author.id === props.selfId ? 'You' : comment.author.name
	return (
		<article
			className={`comment${props.isReply ? ' comment--reply' : ''}`}
			data-testid="comment"
			data-comment-id={comment.id}
		>
			<Avatar name={comment.author.name} color={props.colorOf(comment.author.id)} size="small" />
			<div className="comment__main">
				<div className="comment__meta">
					<span className="comment__author">{name}</span>
					<time dateTime={comment.createdAt} title={new Date(comment.createdAt).toLocaleString()}>
						{relativeTime(comment.createdAt, now)}
					</time>
					{comment.resolvedAt && !props.isReply && (
						<span className="comment__resolved">Resolved</span>
					)}
				</div>
				<p className="comment__body">{comment.body}</p>
			</div>
		</article>
	)
}
