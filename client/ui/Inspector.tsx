import { useEffect, useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import { jobShapeIds } from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import { api, type ImageDetails, imageFileUrl, isApiError } from '../api/client'
import type { ActiveCandidate, BoardContextValue } from '../board/BoardContext'
import { ensureVisible } from '../board/reveal'
import { SHORTCUT_LABELS } from '../board/shortcuts'
import { useOpPrice } from '../budget/BudgetContext'
import { creditsText } from '../budget/limits'
import { describeError } from './describeError'
import { inspectorTitle } from './inspectorTitle'
import { LineageSection } from './lineage/LineageSection'
import { Provenance } from './Provenance'
import { CommentThread } from './review/CommentThread'
import { useReview } from './review/ReviewContext'
import { ReviewSection } from './review/ReviewSection'
import { type ReviewAccess, reviewAccess } from './review/reviewAccess'
import { findCandidate, useImageMarks } from './review/useReviewState'
import { useToasts } from './Toasts'

interface InspectorProps {
	editor: Editor
	board: BoardContextValue
}

/** Right-hand panel for the active candidate: the full image and where it came from. */
export function Inspector({ editor, board }: InspectorProps) {
	const active = useValue('active candidate', () => board.active.get(), [board])
	if (!active) return null
	return <InspectorPanel key={active.imageId} editor={editor} board={board} active={active} />
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; image: ImageDetails }
	| { status: 'error'; message: string }

function InspectorPanel(props: InspectorProps & { active: ActiveCandidate }) {
	const { editor, board, active } = props
	const toasts = useToasts()
	const varyPrice = useOpPrice('vary')
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
	const [fullLoaded, setFullLoaded] = useState(false)
	const node = useValue('node', () => editor.getShape<GenerationShape>(active.shapeId), [
		editor,
		active,
	])
	const review = useReview()
	// A client reads the stripped shapes of image details; the board's own role says only "viewer".
	const role = review?.role ?? board.role
	const marks = useImageMarks(review, active.imageId)
	const access = review
		? reviewAccess({
				role: review.role,
				clientView: review.clientView,
				node: node?.props ?? null,
				isCommitted:
					marks.decision === 'committed' || !!node?.props.committed.includes(active.imageId),
			})
		: null
	// A client without comments gets a clean view of the image; everyone else sees the review.
	const showReview = !!review && !!access && (review.role !== 'client' || access.comment)

	// Opening the panel narrows the canvas: keep the picked node in sight.
	useEffect(() => {
		let frame = requestAnimationFrame(() => {
			frame = requestAnimationFrame(() => ensureVisible(editor, [active.shapeId]))
		})
		return () => {
			cancelAnimationFrame(frame)
			// tldraw animates towards a page box fitted to the *current* viewport: if the panel
			// closes mid-animation the canvas widens and the camera would zoom in. Stop where it is.
			editor.stopCameraAnimation()
		}
	}, [editor, active.shapeId])

	useEffect(() => {
		const controller = new AbortController()
		api
			.getImage(board.boardId, active.imageId, { role, signal: controller.signal })
			.then((image) => setLoaded({ status: 'ready', image }))
			.catch((error: unknown) => {
				if (controller.signal.aborted) return
				// A body the client can't read (a server that hides fields from this role) is a bug
				// for the console, not a schema dump for the person.
				const unreadable = isApiError(error) && error.code === 'bad_response'
				if (unreadable) console.warn('[arbor] image details', error)
				const message = unreadable
					? 'The details of this image could not be read.'
					: describeError(error, 'image')
				setLoaded({ status: 'error', message })
			})
		return () => controller.abort()
	}, [board.boardId, active.imageId, role])

	const openParent = async (parentImageId: string) => {
		try {
			const parent = await api.getImage(board.boardId, parentImageId, { role })
			const shapeId = jobShapeIds(parent.jobId).node
			// The client view lays its nodes out by image, not by job: find the one showing it.
			const candidate = editor.getShape(shapeId)
				? { shapeId, index: parent.index, imageId: parent.id }
				: findCandidate(editor, parent.id)
			if (!candidate) {
				toasts.show('info', 'The parent’s node is no longer on this board.')
				return
			}
			board.pick(candidate)
			ensureVisible(editor, [candidate.shapeId])
		} catch (error) {
			toasts.show('error', describeError(error, 'image'))
		}
	}

	const candidate = node?.props.candidates[active.index]
	const priceNote = varyPrice === null ? '' : ` · ${creditsText(varyPrice)}`
	const aspect = candidate ? `${candidate.width} / ${candidate.height}` : '1 / 1'
	const title = inspectorTitle({
		kind: node?.props.kind,
		activeIndex: active.index,
		imageIndex: loaded.status === 'ready' ? loaded.image.index : undefined,
		slots: node?.props.slots ?? 4,
		imageOp: loaded.status === 'ready' ? loaded.image.op : undefined,
	})

	return (
		<aside className="inspector" data-testid="inspector" data-image-id={active.imageId}>
			<header className="inspector__header">
				<div>
					<div className="inspector__eyebrow">{node?.props.label ?? 'Candidate'}</div>
					<h2 data-testid="inspector-title">{title}</h2>
				</div>
				<button
					type="button"
					className="icon-button"
					data-testid="inspector-close"
					aria-label="Close inspector"
					title="Close (Esc)"
					onClick={() => board.active.set(null)}
				>
					×
				</button>
			</header>
			<div
				className={`inspector__image${fullLoaded ? ' is-loaded' : ''}`}
				style={{ aspectRatio: aspect }}
			>
				<img
					src={imageFileUrl(board.boardId, active.imageId, 'thumb')}
					alt=""
					aria-hidden="true"
					className="inspector__thumb"
				/>
				<img
					src={imageFileUrl(board.boardId, active.imageId, 'full')}
					alt={title}
					data-testid="inspector-image"
					onLoad={() => setFullLoaded(true)}
				/>
			</div>
			{board.canEdit && (
				<div className="inspector__actions">
					<button
						type="button"
						className="arbor-button"
						data-testid="inspector-vary-subtle"
						title={`Vary (subtle) — ${SHORTCUT_LABELS.varySubtle}${priceNote}`}
						onClick={() => void board.vary(active.imageId, 'subtle')}
					>
						Vary subtle <kbd>{SHORTCUT_LABELS.varySubtle}</kbd>
					</button>
					<button
						type="button"
						className="arbor-button"
						data-testid="inspector-vary-strong"
						title={`Vary (strong) — ${SHORTCUT_LABELS.varyStrong}${priceNote}`}
						onClick={() => void board.vary(active.imageId, 'strong')}
					>
						Vary strong <kbd>⇧S</kbd>
					</button>
				</div>
			)}
			{showReview && review && access && (
				<>
					<ReviewSection
						editor={editor}
						review={review}
						active={active}
						node={node}
						access={access}
					/>
					<CommentThread
						boardId={board.boardId}
						imageId={active.imageId}
						openCount={marks.openComments}
						selfId={review.selfId}
						access={access}
						colorOf={review.colorOf}
					/>
				</>
			)}
			{loaded.status === 'loading' && <div className="inspector__skeleton" aria-busy="true" />}
			{loaded.status === 'error' && <p className="form-error">{loaded.message}</p>}
			<LineageSection editor={editor} board={board} role={role} imageId={active.imageId} />
			{loaded.status === 'ready' && <Provenance image={loaded.image} onOpenParent={openParent} />}
			<KeyHint canEdit={board.canEdit} review={showReview ? access : null} />
		</aside>
	)
}

const K = SHORTCUT_LABELS

/** Every key the board answers to for the active candidate, one line each. */
function KeyHint({ canEdit, review }: { canEdit: boolean; review: ReviewAccess | null }) {
	const keys: Array<[string, string]> = [[K.pick, 'pick']]
	if (review?.decide) keys.push([`${K.approve} / ${K.reject}`, 'approve / reject'])
	if (review?.mark) keys.push([`${K.star} / ${K.clearMark}`, 'star / clear the mark'])
	if (review?.comment) keys.push([K.comment, 'comment'])
	if (canEdit)
		keys.push(
			[`${K.varySubtle} / ${K.varyStrong}`, 'vary subtle / strong'],
			[K.remix, 'remix'],
			[`${K.zoomOut15} / ${K.zoomOut2}`, 'zoom out 1.5× / 2×'],
			[K.pan, 'pan'],
			[`${K.upscaleSubtle2} / ${K.upscaleCreative2}`, 'upscale 2× subtle / creative'],
			[`${K.upscaleSubtle4} / ${K.upscaleCreative4}`, 'upscale 4×'],
			[K.reroll, 'reroll the node'],
		)
	keys.push(['Esc', 'close'])
	return (
		<dl className="inspector__hint key-hint" data-testid="inspector-keys">
			{keys.map(([key, what]) => (
				<div key={key}>
					<dt>
						<kbd>{key}</kbd>
					</dt>
					<dd>{what}</dd>
				</div>
			))}
		</dl>
	)
}
