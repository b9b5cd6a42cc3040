import { type FormEvent, useEffect, useRef, useState } from 'react'
import type { Comment } from '../../../shared/review'
import { reviewApi } from '../../api/review'
import { SHORTCUT_LABELS } from '../../board/shortcuts'
import { describeError } from '../describeError'

interface CommentComposerProps {
	boardId: string
	imageId: string
	/** The thread a reply goes to; null for a new thread. */
	replyTo: Comment | null
	onCancelReply(): void
	onPosted(): void
}

const MAX_LENGTH = 2000

/** Writes a comment or a reply. Enter sends, Shift+Enter breaks the line, Escape leaves. */
export function CommentComposer(props: CommentComposerProps) {
	const { boardId, imageId, replyTo } = props
	const [body, setBody] = useState('')
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const inputRef = useRef<HTMLTextAreaElement>(null)

	useEffect(() => {
		if (replyTo) inputRef.current?.focus()
	}, [replyTo])

	const submit = async (event?: FormEvent) => {
		event?.preventDefault()
		const text = body.trim()
		if (!text || busy) return
		setBusy(true)
		setError(null)
		try {
			await reviewApi.addComment(boardId, imageId, {
				body: text,
				...(replyTo ? { parentId: replyTo.id } : {}),
			})
			setBody('')
			props.onPosted()
		} catch (err) {
			setError(describeError(err))
		} finally {
			setBusy(false)
		}
	}

	return (
		<form className="comment-composer" data-testid="comment-composer" onSubmit={submit}>
			{replyTo && (
				<div className="comment-composer__reply" data-testid="comment-replying">
					Replying to {replyTo.author.name}
					<button
						type="button"
						className="icon-button icon-button--tiny"
						aria-label="Cancel the reply"
						onClick={props.onCancelReply}
					>
						×
					</button>
				</div>
			)}
			<textarea
				ref={inputRef}
				className="comment-composer__input"
				data-testid="comment-input"
				placeholder={
					replyTo ? 'Write a reply…' : `Comment on this image… (${SHORTCUT_LABELS.comment})`
				}
				aria-label={replyTo ? 'Reply' : 'Comment'}
				rows={2}
				maxLength={MAX_LENGTH}
				value={body}
				disabled={busy}
				onChange={(event) => setBody(event.target.value)}
				onKeyDown={(event) => {
					// The canvas must not act on keys typed here.
					event.stopPropagation()
					if (event.key === 'Enter' && !event.shiftKey) {
						event.preventDefault()
						void submit()
					}
					if (event.key === 'Escape') {
						if (replyTo) props.onCancelReply()
						else event.currentTarget.blur()
					}
				}}
			/>
			{error && (
				<p className="field-error" role="alert">
					{error}
				</p>
			)}
			<div className="comment-composer__footer">
				<span className="comment-composer__hint">Enter sends · Shift+Enter: new line</span>
				<button
					type="submit"
					className="arbor-button arbor-button--small arbor-button--primary"
					data-testid="comment-submit"
					disabled={busy || body.trim().length === 0}
				>
					{busy ? 'Sending…' : replyTo ? 'Reply' : 'Comment'}
				</button>
			</div>
		</form>
	)
}
