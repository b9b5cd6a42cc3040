import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { PROMPT_MAX_LENGTH, PromptSchema } from '../../../shared/ops/params'
import type { BoardContextValue } from '../../board/BoardContext'
import { SHORTCUT_LABELS } from '../../board/shortcuts'
import { creditsText } from '../../budget/limits'

interface RemixEditorProps {
	board: BoardContextValue
	imageId: string
	/** The candidate's prompt, to edit. */
	initialPrompt: string
	price: number | null
	onClose(): void
}

/**
 * Remix in place: the candidate's prompt, ready to edit. Enter runs it (four takes that keep the
 * candidate's layout), Shift+Enter starts a new line, Escape puts it away.
 */
export function RemixEditor({ board, imageId, initialPrompt, price, onClose }: RemixEditorProps) {
	const [prompt, setPrompt] = useState(initialPrompt)
	const [avoid, setAvoid] = useState('')
	const [error, setError] = useState<string | null>(null)
	const input = useRef<HTMLTextAreaElement>(null)
	const hintId = useId()

	useEffect(() => {
		const element = input.current
		if (!element) return
		element.focus()
		// The caret at the end: people add to a prompt more often than they rewrite it.
		element.setSelectionRange(element.value.length, element.value.length)
	}, [])

	const submit = () => {
		const parsed = PromptSchema.safeParse(prompt)
		if (!parsed.success) {
			setError('Write a prompt to remix with.')
			return
		}
		const negativePrompt = avoid.trim()
		void board.explore({
			op: 'remix',
			parentImageId: imageId,
			prompt: parsed.data,
			params: negativePrompt ? { negativePrompt } : {},
		})
		onClose()
	}

	const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement | HTMLInputElement>) => {
		// Keys typed here are the editor's alone: never the board's shortcuts or tldraw's.
		event.stopPropagation()
		if (event.key === 'Escape') {
			event.preventDefault()
			onClose()
			return
		}
		if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
			event.preventDefault()
			submit()
		}
	}

	return (
		<div className="remix-editor" data-testid="remix-editor">
			<div className="remix-editor__head">
				<span className="action-bar__label">Remix</span>
				<span className="remix-editor__note">Keeps the layout, changes the look</span>
			</div>
			<textarea
				ref={input}
				className="remix-editor__input"
				data-testid="remix-input"
				aria-label="Remix prompt"
				aria-describedby={hintId}
				rows={2}
				onKeyDown={onKeyDown}
				maxLength={PROMPT_MAX_LENGTH}
				value={prompt}
				onChange={(event) => {
					setPrompt(event.target.value)
					setError(null)
				}}
			/>
			<input
				className="remix-editor__avoid"
				data-testid="remix-negative"
				aria-label="Avoid (negative prompt)"
				placeholder="Avoid… (empty keeps the parent’s)"
				value={avoid}
				onKeyDown={onKeyDown}
				onChange={(event) => setAvoid(event.target.value)}
			/>
			<div className="remix-editor__foot">
				<span id={hintId} className={error ? 'remix-editor__error' : 'remix-editor__hint'}>
					{error ??
						`Enter to remix · Shift+Enter new line · Esc cancel${price === null ? '' : ` · ${creditsText(price)}`}`}
				</span>
				<button
					type="button"
					className="action-bar__button"
					data-testid="remix-cancel"
					onClick={onClose}
				>
					Cancel
				</button>
				<button
					type="button"
					className="action-bar__button action-bar__button--primary"
					data-testid="remix-run"
					title={`Remix — ${SHORTCUT_LABELS.remix} opens this, Enter runs it`}
					disabled={prompt.trim() === ''}
					onClick={submit}
				>
					Remix <kbd>↵</kbd>
				</button>
			</div>
		</div>
	)
}
