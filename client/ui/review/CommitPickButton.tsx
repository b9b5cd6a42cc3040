import { useState } from 'react'
import type { Editor } from 'tldraw'
import type { UpscaleParams } from '../../../shared/ops/params'
import { jobShapeIds } from '../../../shared/records'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import { reviewApi } from '../../api/review'
import type { ActiveCandidate } from '../../board/BoardContext'
import { quoteUpscale } from '../../board/quoteUpscale'
import { revealWhenReady } from '../../board/reveal'
import { useBudget, useEngines, useModels } from '../../budget/BudgetContext'
import { describeError } from '../describeError'
import { isOffered, steeringTarget } from '../prompt/modelChoice'
import { useNodeOrigin } from '../steer/useNodeOrigin'
import { useToasts } from '../Toasts'
import { useCommitConfirm } from '../useCommitConfirm'
import { LockIcon } from './LockIcon'

/** What committing a pick makes: the same upscale a plain commit-loop upscale defaults to. */
const COMMIT_PARAMS: UpscaleParams = { mode: 'subtle', factor: 2 }

interface CommitPickButtonProps {
	editor: Editor
	boardId: string
	active: ActiveCandidate
	node: GenerationShape | undefined
}

/**
 * "Commit pick": the review's final word on a candidate. Asks first with the exact price (the
 * upscale it runs is charged like any), then records the decision, upscales and locks the final,
 * which lands on the canvas as usual.
 */
export function CommitPickButton({ editor, boardId, active, node }: CommitPickButtonProps) {
	const toasts = useToasts()
	const credits = useBudget()?.credits
	const { confirm, dialog } = useCommitConfirm()
	const [busy, setBusy] = useState(false)
	// Committing upscales: not offered when the engine that would run it has no upscale (an
	// OpenAI-made image), as the steering bar hides its Upscale.
	const models = useModels()
	const engines = useEngines()
	const origin = useNodeOrigin(boardId, active.imageId)
	const target = steeringTarget({
		origin,
		override: null,
		models: models ?? [],
		engines: engines ?? [],
	})
	const cannot = !isOffered(target.capabilities, 'upscale', COMMIT_PARAMS)

	const commit = async () => {
		const cell = node?.props.candidates[active.index] ?? null
		const request = { op: 'upscale', parentImageId: active.imageId, params: COMMIT_PARAMS } as const
		setBusy(true)
		try {
			const quote = await quoteUpscale(boardId, request, cell, credits?.getSnapshot().value)
			const size = quote.width && quote.height ? `a ${quote.width} × ${quote.height}` : 'a'
			const ok = await confirm({
				title: `Commit candidate ${active.index + 1}`,
				description: `It is marked committed and upscaled to ${size} final (subtle 2×), locked on the board so it can’t be moved or deleted by accident. The decision is recorded for the review.`,
				price: quote.price,
				balance: quote.balance ?? undefined,
				confirmLabel: 'Commit pick',
			})
			if (!ok) return
			const { job } = await reviewApi.commitPick(boardId, active.imageId, { params: COMMIT_PARAMS })
			toasts.show('success', `Candidate ${active.index + 1} committed: its final is on its way`)
			revealWhenReady(editor, jobShapeIds(job.id).node, [active.shapeId])
		} catch (error) {
			toasts.show('error', describeError(error, 'job'))
		} finally {
			setBusy(false)
			void credits?.refresh()
		}
	}

	return (
		<>
			<button
				type="button"
				className="arbor-button commit-pick"
				data-testid="commit-pick"
				data-unsupported={cannot ? 'true' : undefined}
				disabled={busy || cannot}
				title={
					cannot
						? `Committing upscales, and the engine that made it (${origin?.engine ?? 'its engine'}) can’t upscale`
						: 'Mark it committed, upscale it (subtle 2×) and lock the final — asks first, with the price'
				}
				onClick={() => void commit()}
			>
				<LockIcon />
				{busy ? 'Committing…' : 'Commit pick'}
			</button>
			{dialog}
		</>
	)
}
