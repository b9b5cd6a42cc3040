import { useEffect, useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import type { Image } from '../../shared/api'
import { jobShapeIds } from '../../shared/records'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import { api, imageFileUrl } from '../api/client'
import type { ActiveCandidate, BoardContextValue } from '../board/BoardContext'
import { ensureVisible } from '../board/reveal'
import { SHORTCUT_LABELS } from '../board/shortcuts'
import { useOpPrice } from '../budget/BudgetContext'
import { creditsText } from '../budget/limits'
import { describeError } from './describeError'
import { formatDateTime } from './formatDate'
import { ParamList } from './ParamList'
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
	| { status: 'ready'; image: Image }
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
			.getImage(board.boardId, active.imageId, controller.signal)
			.then((image) => setLoaded({ status: 'ready', image }))
			.catch((error: unknown) => {
				if (controller.signal.aborted) return
				setLoaded({ status: 'error', message: describeError(error, 'image') })
			})
		return () => controller.abort()
	}, [board.boardId, active.imageId])

	const openParent = async (parentImageId: string) => {
		try {
			const parent = await api.getImage(board.boardId, parentImageId)
			const shapeId = jobShapeIds(parent.jobId).node
			if (!editor.getShape(shapeId)) {
				toasts.show('info', 'The parent’s node is no longer on this board.')
				return
			}
			board.pick({ shapeId, index: parent.index, imageId: parent.id })
			ensureVisible(editor, [shapeId])
		} catch (error) {
			toasts.show('error', describeError(error, 'image'))
		}
	}

	const candidate = node?.props.candidates[active.index]
	const priceNote = varyPrice === null ? '' : ` · ${creditsText(varyPrice)}`
	const aspect = candidate ? `${candidate.width} / ${candidate.height}` : '1 / 1'

	return (
		<aside className="inspector" data-testid="inspector" data-image-id={active.imageId}>
			<header className="inspector__header">
				<div>
					<div className="inspector__eyebrow">{node?.props.label ?? 'Candidate'}</div>
					<h2>Candidate {active.index + 1}</h2>
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
					alt={`Candidate ${active.index + 1}`}
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
			{loaded.status === 'loading' && <div className="inspector__skeleton" aria-busy="true" />}
			{loaded.status === 'error' && <p className="form-error">{loaded.message}</p>}
			{loaded.status === 'ready' && <Provenance image={loaded.image} onOpenParent={openParent} />}
			<p className="inspector__hint">
				Keys: {SHORTCUT_LABELS.pick} pick
				{board.canEdit &&
					` · ${SHORTCUT_LABELS.varySubtle} subtle · ${SHORTCUT_LABELS.varyStrong} strong`}{' '}
				· Esc close
			</p>
		</aside>
	)
}

function Provenance({ image, onOpenParent }: { image: Image; onOpenParent(id: string): void }) {
	const strength = typeof image.params.strength === 'string' ? ` (${image.params.strength})` : ''
	return (
		<dl className="provenance" data-testid="inspector-provenance">
			<dt>Operation</dt>
			<dd data-testid="inspector-op">
				{image.op.charAt(0).toUpperCase() + image.op.slice(1)}
				{strength} <span className="muted">v{image.opVersion}</span>
			</dd>
			<dt>Prompt</dt>
			<dd data-testid="inspector-prompt" className="provenance__prompt">
				{image.prompt || <span className="muted">—</span>}
			</dd>
			{image.negativePrompt && (
				<>
					<dt>Avoid</dt>
					<dd>{image.negativePrompt}</dd>
				</>
			)}
			<dt>Seed</dt>
			<dd data-testid="inspector-seed" className="mono">
				{image.seed}
			</dd>
			<dt>Parameters</dt>
			<dd data-testid="inspector-params">
				<ParamList params={image.params} />
			</dd>
			<dt>Parent</dt>
			<dd>
				{image.parentImageId ? (
					<button
						type="button"
						className="link-button"
						data-testid="inspector-parent"
						onClick={() => image.parentImageId && onOpenParent(image.parentImageId)}
					>
						Show the parent candidate
					</button>
				) : (
					<span className="muted">None — straight from a prompt</span>
				)}
			</dd>
			<dt>Model</dt>
			<dd data-testid="inspector-model">
				{image.backend} · {image.model} <span className="muted mono">{image.version}</span>
			</dd>
			<dt>Size</dt>
			<dd className="mono">
				{image.width} × {image.height}
			</dd>
			<dt>By</dt>
			<dd data-testid="inspector-author">{image.createdBy.name}</dd>
			<dt>When</dt>
			<dd data-testid="inspector-created">{formatDateTime(image.createdAt)}</dd>
			<dt>Cost</dt>
			<dd data-testid="inspector-cost">
				{image.cost} {image.cost === 1 ? 'credit' : 'credits'}
			</dd>
		</dl>
	)
}
