import { type RefObject, useCallback, useMemo } from 'react'
import type { Atom, Editor, TLShapeId } from 'tldraw'
import type { Role } from '../../shared/api'
import { generationNodeSize, PROMPT_CARD_SIZE } from '../../shared/layout'
import { OPS } from '../../shared/ops/catalogue'
import { opLabel } from '../../shared/ops/labels'
import { AspectRatioSchema, dimensionsFor, PromptSchema } from '../../shared/ops/params'
import { jobShapeIds } from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import { PROMPT_SHAPE, type PromptShape } from '../../shared/shapes/promptShape'
import { api } from '../api/client'
import { useBudget } from '../budget/BudgetContext'
import { recallMetaOf } from '../shapes/prompt/recallMeta'
import { describeError } from '../ui/describeError'
import { useToasts } from '../ui/Toasts'
import type { CommitConfirmOptions } from '../ui/useCommitConfirm'
import type { ActiveCandidate, BoardContextValue, ExploreRequest, SteerModel } from './BoardContext'
import type { BoardSync } from './BoardSync'
import { quoteUpscale, upscaleDescription } from './quoteUpscale'
import { revealWhenReady } from './reveal'

interface BoardActionsOptions {
	sync: BoardSync | null
	boardId: string
	role: Role
	canEdit: boolean
	userName: string
	editorRef: RefObject<Editor | null>
	active: Atom<ActiveCandidate | null>
	queueOpen: Atom<boolean>
	remixing: Atom<boolean>
	steerModel: Atom<SteerModel | null>
	confirm(options: CommitConfirmOptions): Promise<boolean>
}

/** Room between a recall card and the imagine it runs, so the new group sits beside it. */
const RECALL_GAP = 60

/**
 * The board's actions (every steering op, retry, cancel, pick) as the context shapes and panels
 * read. Exploration runs at once; the commit op (upscale) asks first with the exact price.
 */
export function useBoardActions(options: BoardActionsOptions): BoardContextValue | null {
	const { sync, boardId, role, canEdit, userName, editorRef, active, queueOpen, remixing } = options
	const { confirm, steerModel } = options
	const toasts = useToasts()
	const credits = useBudget()?.credits

	const fail = useCallback(
		(error: unknown, context: 'job' | 'cancel' = 'job') => {
			toasts.show('error', describeError(error, context))
		},
		[toasts],
	)

	/** The node a request branches from, to keep it in view with the new one. */
	const sourceNode = useCallback(
		(request: ExploreRequest | { op: 'upscale' }): TLShapeId[] => {
			if (request.op === 'reroll') return [jobShapeIds(request.parentJobId).node]
			const from = active.get()
			return from ? [from.shapeId] : []
		},
		[active],
	)

	/** The request with the model picked in the steering bar for its candidate, if any. */
	const withSteerModel = useCallback(
		<R extends ExploreRequest | { op: 'upscale'; parentImageId: string }>(request: R): R => {
			const picked = steerModel.get()
			if (!picked || !('parentImageId' in request)) return request
			return picked.imageId === request.parentImageId
				? { ...request, model: picked.model }
				: request
		},
		[steerModel],
	)

	const explore = useCallback(
		async (asked: ExploreRequest) => {
			const request = withSteerModel(asked)
			const context = sourceNode(request)
			try {
				const job = await api.createJob(boardId, request)
				const params = 'params' in request ? (request.params ?? {}) : {}
				toasts.show('info', `${opLabel(request.op, params)} queued`)
				const editor = editorRef.current
				if (editor) revealWhenReady(editor, jobShapeIds(job.id).node, context)
			} catch (error) {
				fail(error)
			} finally {
				void credits?.refresh()
			}
		},
		[boardId, toasts, fail, credits, editorRef, sourceNode, withSteerModel],
	)

	const upscale = useCallback<BoardContextValue['upscale']>(
		async (candidate, params) => {
			const editor = editorRef.current
			const node = editor?.getShape<GenerationShape>(candidate.shapeId)
			const cell = node?.props.candidates[candidate.index]
			const request = withSteerModel({
				op: 'upscale',
				parentImageId: candidate.imageId,
				params,
			} as const)
			let quote: Awaited<ReturnType<typeof quoteUpscale>>
			try {
				quote = await quoteUpscale(boardId, request, cell ?? null, credits?.getSnapshot().value)
			} catch (error) {
				fail(error)
				return
			}
			const ok = await confirm({
				title: `${opLabel('upscale', params)}`,
				description: upscaleDescription(candidate.index, params, quote),
				price: quote.price,
				balance: quote.balance ?? undefined,
				confirmLabel: 'Upscale',
			})
			if (!ok) return
			try {
				const job = await api.createJob(boardId, request)
				toasts.show('info', `${opLabel('upscale', params)} queued: a final is on its way`)
				if (editor) revealWhenReady(editor, jobShapeIds(job.id).node, [candidate.shapeId])
			} catch (error) {
				fail(error)
			} finally {
				void credits?.refresh()
			}
		},
		[boardId, confirm, credits, editorRef, fail, toasts, withSteerModel],
	)

	const runRecall = useCallback(
		async (cardId: TLShapeId) => {
			const editor = editorRef.current
			const card = editor?.getShape<PromptShape>(cardId)
			if (!editor || card?.type !== PROMPT_SHAPE) return
			const recall = recallMetaOf(card.meta)
			const prompt = PromptSchema.safeParse(card.props.prompt)
			if (!prompt.success) {
				toasts.show('error', 'This card has no prompt to run.')
				return
			}
			const aspectRatio = AspectRatioSchema.catch('1:1').parse(card.props.aspectRatio)
			const { width, height } = dimensionsFor(aspectRatio)
			// The server centres the new card + grid on `at`: put that group just right of this card.
			const groupW = PROMPT_CARD_SIZE.w + 80 + generationNodeSize(width / height).w
			const at = {
				x: card.x + card.props.w + RECALL_GAP + groupW / 2,
				y: card.y + card.props.h / 2,
			}
			try {
				const job = await api.createJob(boardId, {
					op: 'imagine',
					prompt: prompt.data,
					params: {
						aspectRatio,
						...(recall?.seed === undefined ? {} : { seed: recall.seed }),
						...(recall?.negativePrompt ? { negativePrompt: recall.negativePrompt } : {}),
					},
					at,
				})
				toasts.show('info', `${OPS.imagine.label} queued from the recalled prompt`)
				const ids = jobShapeIds(job.id)
				revealWhenReady(editor, ids.node, [ids.prompt, cardId])
			} catch (error) {
				fail(error)
			} finally {
				void credits?.refresh()
			}
		},
		[boardId, credits, editorRef, fail, toasts],
	)

	return useMemo<BoardContextValue | null>(() => {
		if (!sync) return null
		return {
			boardId,
			role,
			canEdit,
			userName,
			jobs: sync.jobs,
			boardJobs: sync.boardJobs,
			active,
			queueOpen,
			remixing,
			steerModel,
			vary: (imageId, strength) =>
				explore({ op: 'vary', parentImageId: imageId, params: { strength } }),
			explore,
			upscale,
			runRecall,
			async retry(jobId) {
				// A retry is charged again; a refusal (402/429) explains itself in the toast.
				await api.retryJob(boardId, jobId).catch((error) => fail(error))
				void credits?.refresh()
			},
			async cancel(jobId) {
				await api.cancelJob(boardId, jobId).catch((error) => fail(error, 'cancel'))
				void credits?.refresh()
			},
			pick(candidate) {
				// Select first: the active candidate is dropped whenever its node is not selected.
				editorRef.current?.select(candidate.shapeId)
				if (active.get()?.imageId !== candidate.imageId) remixing.set(false)
				active.set(candidate)
			},
		}
	}, [
		sync,
		boardId,
		role,
		canEdit,
		userName,
		active,
		queueOpen,
		remixing,
		steerModel,
		explore,
		upscale,
		runRecall,
		fail,
		credits,
		editorRef,
	])
}
