import { type FormEvent, type KeyboardEvent, useState } from 'react'
import type { Editor } from 'tldraw'
import { ASPECT_RATIOS, type AspectRatio, PromptSchema } from '../../shared/ops/params'
import { jobShapeIds } from '../../shared/records'
import { api } from '../api/client'
import { revealWhenReady } from '../board/reveal'
import {
	useBudget,
	useCredits,
	useFreshModels,
	useModels,
	useOpPrice,
} from '../budget/BudgetContext'
import { checkSpend, creditsText, type LimitNotice, limitNoticeFor } from '../budget/limits'
import { CreditsNotice, LimitErrorNotice } from './budget/SpendNotice'
import { describeError } from './describeError'
import { DEFAULT_FIELDS, imagineParamsFrom, paramsSummary } from './prompt/imagineParams'
import { ModelPicker } from './prompt/ModelPicker'
import { promptModel } from './prompt/modelChoice'
import { PromptParams } from './prompt/PromptParams'
import { promptLimitView } from './prompt/promptLimit'
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
	/** The model the board remembers (the last one picked on it); null: the engine's default. */
	defaultModel?: string | null
	/** Opens the board usage panel (offered when the board's budget cap refuses a job). */
	onOpenUsage?: () => void
}

/**
 * Bottom-centre: write a prompt, pick a frame, generate where you are looking. Shows the price,
 * turns Generate off (saying why) when credits can't cover it, and explains limit refusals.
 */
export function PromptBar(props: PromptBarProps) {
	const { editor, boardId, canEdit, onOpenUsage } = props
	const toasts = useToasts()
	const budget = useBudget()
	const credits = useCredits()
	const models = useModels()
	useFreshModels()
	// What this person picked here; until then the board's remembered default (or the first online).
	const [picked, setPicked] = useState<string | null>(null)
	const model = promptModel(models ?? [], { picked, boardDefault: props.defaultModel })
	const listPrice = useOpPrice('imagine')
	const price = model?.price ?? listPrice
	const [prompt, setPrompt] = useState('')
	// Parameters stay as set between prompts, like a camera's settings.
	const [fields, setFields] = useState(DEFAULT_FIELDS)
	const [paramsOpen, setParamsOpen] = useState(false)
	const [busy, setBusy] = useState(false)
	const [limit, setLimit] = useState<LimitNotice | null>(null)
	const isAdmin = budget?.user.isAdmin ?? false
	const spend = checkSpend(credits, price, { isAdmin })
	// A refusal for credits is answered by the notice above once the balance says so.
	const shownLimit = limit?.code === 'insufficient_credits' && !spend.ok ? null : limit
	const limitView = promptLimitView(prompt)

	const submit = async (event?: FormEvent) => {
		event?.preventDefault()
		if (!canEdit || busy || !spend.ok) return
		const parsed = PromptSchema.safeParse(prompt)
		if (!parsed.success) {
			toasts.show('error', limitView.refusal ?? 'Write a prompt first.')
			return
		}
		const params = imagineParamsFrom(fields)
		if (!params.ok) {
			setParamsOpen(true)
			toasts.show('error', params.message)
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
				params: params.params,
				at,
				...(model ? { model: model.id } : {}),
			})
			setPrompt('')
			setLimit(null)
			// The settings stay (the toggle counts them); the canvas gets its room back.
			setParamsOpen(false)
			const ids = jobShapeIds(job.id)
			revealWhenReady(editor, ids.node, [ids.prompt])
		} catch (error) {
			const notice = limitNoticeFor(error)
			if (notice) setLimit(notice)
			else toasts.show('error', describeError(error, 'job'))
		} finally {
			setBusy(false)
			// The reservation (or the refusal) changed what the meter should say.
			void budget?.credits.refresh()
		}
	}

	const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
		if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
			event.preventDefault()
			void submit()
		}
	}

	const summary = paramsSummary(fields)

	return (
		<form
			className={`prompt-bar${canEdit ? '' : ' prompt-bar--readonly'}`}
			onSubmit={submit}
			data-testid="prompt-bar"
			data-canvas-chrome="prompt-bar"
		>
			{canEdit && paramsOpen && (
				<PromptParams fields={fields} disabled={!canEdit} onChange={setFields} />
			)}
			{canEdit && !spend.ok && <CreditsNotice check={spend} isAdmin={isAdmin} />}
			{canEdit && shownLimit && (
				<LimitErrorNotice
					notice={shownLimit}
					onDismiss={() => setLimit(null)}
					onOpenUsage={onOpenUsage}
				/>
			)}
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
						value={fields.aspectRatio}
						disabled={!canEdit}
						onChange={(e) => setFields({ ...fields, aspectRatio: e.target.value as AspectRatio })}
					>
						{ASPECT_RATIOS.map((ratio) => (
							<option key={ratio} value={ratio}>
								{ratio}
							</option>
						))}
					</select>
				</label>
				{canEdit && (
					<button
						type="button"
						className={`prompt-bar__params-toggle${paramsOpen ? ' is-on' : ''}`}
						data-testid="params-toggle"
						aria-expanded={paramsOpen}
						title={`Parameters: seed, chaos, stylize, avoid${summary.length ? ` — ${summary.join(', ')}` : ''}`}
						onClick={() => setParamsOpen((open) => !open)}
					>
						<span aria-hidden="true">⚙</span>
						Parameters
						{summary.length > 0 && (
							<span className="prompt-bar__params-count" data-testid="params-count">
								{summary.length}
							</span>
						)}
					</button>
				)}
				<button
					type="submit"
					className="arbor-button arbor-button--primary"
					data-testid="prompt-submit"
					disabled={!canEdit || busy || prompt.trim() === '' || !spend.ok}
					aria-describedby={spend.ok ? undefined : 'prompt-bar-reason'}
					title={
						spend.ok
							? `Generate four candidates${price === null ? '' : ` (${creditsText(price)})`} — Enter`
							: spend.message
					}
				>
					{busy ? 'Sending…' : 'Generate'}
				</button>
			</div>
			<div className="prompt-bar__foot">
				{canEdit && (
					<ModelPicker
						models={models}
						value={model}
						disabled={busy}
						onChange={setPicked}
						testId="prompt-model"
					/>
				)}
				<p
					className="prompt-bar__hint"
					id="prompt-bar-reason"
					data-testid={canEdit ? 'prompt-hint' : 'viewer-note'}
				>
					{!canEdit
						? 'You can look around and inspect images, but only editors can generate on this board.'
						: spend.ok
							? `Enter to generate · Shift+Enter for a new line${price === null ? '' : ` · ${creditsText(price)}`}${summary.length ? ` · ${summary.join(' · ')}` : ''}`
							: `Generate is off: ${spend.message.charAt(0).toLowerCase()}${spend.message.slice(1)}.`}
				</p>
				{canEdit && limitView.length > 0 && (
					<span
						className={`prompt-counter prompt-counter--${limitView.tone}`}
						data-testid="prompt-counter"
						title={limitView.limitText}
						aria-live={limitView.tone === 'ok' ? 'off' : 'polite'}
					>
						{limitView.counter}
					</span>
				)}
			</div>
		</form>
	)
}
