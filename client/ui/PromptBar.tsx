import { type FormEvent, type KeyboardEvent, useState } from 'react'
import type { Editor } from 'tldraw'
import { imagineOp } from '../../shared/ops/catalogue'
import { ASPECT_RATIOS, type AspectRatio, PromptSchema } from '../../shared/ops/params'
import { jobShapeIds } from '../../shared/records'
import { api } from '../api/client'
import { revealWhenReady } from '../board/reveal'
import { describeError } from './describeError'
import { useToasts } from './Toasts'

/** Page-space centre of the canvas area not covered by this bar. */
function visibleCenter(editor: Editor) {
	const viewport = editor.getViewportPageBounds()
	const barHeight = 170 / editor.getZoomLevel()
	return { x: viewport.center.x, y: viewport.y + (viewport.h - barHeight) / 2 }
}

interface PromptBarProps {
	editor: Editor
	boardId: string
	canEdit: boolean
}

/** Bottom-centre: write a prompt, pick a frame, generate where you are looking. */
export function PromptBar({ editor, boardId, canEdit }: PromptBarProps) {
	const toasts = useToasts()
	const [prompt, setPrompt] = useState('')
	const [aspectRatio, setAspectRatio] = useState<AspectRatio>('1:1')
	const [busy, setBusy] = useState(false)

	const submit = async (event?: FormEvent) => {
		event?.preventDefault()
		if (!canEdit || busy) return
		const parsed = PromptSchema.safeParse(prompt)
		if (!parsed.success) {
			toasts.show('error', 'Write a prompt first.')
			return
		}
		// The server centres the new prompt card + node group on `at` (moving it down past anything
		// already there): the middle of what this person is looking at, above the prompt bar.
		const at = visibleCenter(editor)
		setBusy(true)
		try {
			const job = await api.createJob(boardId, {
				op: 'imagine',
				prompt: parsed.data,
				params: { aspectRatio },
				at,
			})
			setPrompt('')
			const ids = jobShapeIds(job.id)
			revealWhenReady(editor, ids.node, [ids.prompt])
		} catch (error) {
			toasts.show('error', describeError(error, 'job'))
		} finally {
			setBusy(false)
		}
	}

	const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
		if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
			event.preventDefault()
			void submit()
		}
	}

	return (
		<form
			className={`prompt-bar${canEdit ? '' : ' prompt-bar--readonly'}`}
			onSubmit={submit}
			data-testid="prompt-bar"
		>
			<textarea
				className="prompt-bar__input"
				data-testid="prompt-input"
				placeholder={canEdit ? 'Describe an image…' : 'View only'}
				aria-label="Prompt"
				rows={1}
				value={prompt}
				disabled={!canEdit}
				onChange={(e) => setPrompt(e.target.value)}
				onKeyDown={onKeyDown}
			/>
			<div className="prompt-bar__controls">
				<label className="prompt-bar__aspect">
					<span className="visually-hidden">Aspect ratio</span>
					<select
						data-testid="aspect-select"
						value={aspectRatio}
						disabled={!canEdit}
						onChange={(e) => setAspectRatio(e.target.value as AspectRatio)}
					>
						{ASPECT_RATIOS.map((ratio) => (
							<option key={ratio} value={ratio}>
								{ratio}
							</option>
						))}
					</select>
				</label>
				<button
					type="submit"
					className="arbor-button arbor-button--primary"
					data-testid="prompt-submit"
					disabled={!canEdit || busy || prompt.trim() === ''}
					title={`Generate four candidates (${imagineOp.cost} credits) — Enter`}
				>
					{busy ? 'Sending…' : 'Generate'}
				</button>
			</div>
			<p className="prompt-bar__hint" data-testid={canEdit ? undefined : 'viewer-note'}>
				{canEdit
					? `Enter to generate · Shift+Enter for a new line · ${imagineOp.cost} credits`
					: 'You can look around and inspect images, but only editors can generate on this board.'}
			</p>
		</form>
	)
}
