import { useEffect, useState } from 'react'
import { type Editor, type Signal, useValue } from 'tldraw'
import { opLabel } from '../../../shared/ops/labels'
import { jobShapeIds } from '../../../shared/records'
import {
	api,
	finalsZipUrl,
	imageDownloadUrl,
	imageFileUrl,
	lineageExportUrl,
} from '../../api/client'
import type { Final } from '../../api/steeringBodies'
import type { BoardContextValue } from '../../board/BoardContext'
import type { BoardJobs } from '../../board/queueModel'
import { ensureVisible } from '../../board/reveal'
import { SHORTCUT_LABELS } from '../../board/shortcuts'
import { DownloadLink } from '../DownloadLink'
import { describeError } from '../describeError'
import { formatDateTime } from '../formatDate'
import { useToasts } from '../Toasts'

interface FinalsPanelProps {
	editor: Editor
	board: BoardContextValue
	/** Changes when a job's status moves: a final may have finished. */
	boardJobs: Signal<BoardJobs>
	onClose(): void
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; finals: Final[] }
	| { status: 'error'; message: string }

/**
 * The commit loop's harvest: every final on the board, newest first, each with the chain of
 * steps that led to it, a download with its provenance embedded, and all of them as one zip.
 */
export function FinalsPanel({ editor, board, boardJobs, onClose }: FinalsPanelProps) {
	const toasts = useToasts()
	const jobs = useValue('board jobs', () => boardJobs.get(), [boardJobs])
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })

	useEffect(() => {
		const controller = new AbortController()
		// `jobs` is the trigger: an upscale finished (or was cancelled) somewhere on the board.
		void jobs
		api
			.listFinals(board.boardId, controller.signal)
			.then((finals) => setLoaded({ status: 'ready', finals: [...finals].reverse() }))
			.catch((error: unknown) => {
				if (controller.signal.aborted) return
				setLoaded({ status: 'error', message: describeError(error, 'board') })
			})
		return () => controller.abort()
	}, [board.boardId, jobs])

	const show = (final: Final) => {
		const shapeId = jobShapeIds(final.image.jobId).node
		if (!editor.getShape(shapeId)) {
			toasts.show('info', 'This final’s node is no longer on the board; it is still in the zip.')
			return
		}
		board.pick({ shapeId, index: final.image.index, imageId: final.image.id })
		ensureVisible(editor, [shapeId])
	}

	const finals = loaded.status === 'ready' ? loaded.finals : []
	return (
		<aside
			className="side-panel finals-panel"
			data-testid="finals-panel"
			aria-label="Finals"
			onKeyDown={(event) => {
				if (event.key !== 'Escape') return
				event.stopPropagation()
				onClose()
			}}
		>
			<header className="side-panel__header">
				<div>
					<div className="eyebrow">Commit loop</div>
					<h2>
						Finals <span className="count-badge">{finals.length}</span>
					</h2>
				</div>
				<button
					type="button"
					className="icon-button"
					data-testid="finals-close"
					aria-label="Close finals"
					title="Close (Esc)"
					onClick={onClose}
				>
					×
				</button>
			</header>
			<div className="finals-panel__actions">
				<DownloadLink
					className="arbor-button arbor-button--small"
					data-testid="finals-download-all"
					href={finalsZipUrl(board.boardId)}
					fallbackName="finals.zip"
					disabled={finals.length === 0}
					title="Every final as a PNG with its provenance, plus the board’s lineage.json"
				>
					Download all (zip)
				</DownloadLink>
				<DownloadLink
					className="link-button"
					data-testid="finals-export-lineage"
					href={lineageExportUrl(board.boardId)}
					fallbackName="lineage.json"
					title="The whole board’s derivation graph: every job, image, parameter and edge"
				>
					Export lineage (JSON)
				</DownloadLink>
			</div>
			{loaded.status === 'loading' && <div className="panel-skeleton" aria-busy="true" />}
			{loaded.status === 'error' && <p className="form-error">{loaded.message}</p>}
			{loaded.status === 'ready' && finals.length === 0 && (
				<div className="finals-panel__empty" data-testid="finals-empty">
					<p>No finals yet.</p>
					<p className="muted">
						Pick a candidate and upscale it ({SHORTCUT_LABELS.upscaleSubtle2}) to commit it. Finals
						are framed on the board and gathered here.
					</p>
				</div>
			)}
			<ol className="finals-list">
				{finals.map((final) => (
					<FinalItem key={final.image.id} boardId={board.boardId} final={final} onShow={show} />
				))}
			</ol>
		</aside>
	)
}

function FinalItem(props: { boardId: string; final: Final; onShow(final: Final): void }) {
	const { boardId, final } = props
	const { image, lineage } = final
	// The last step is the final itself; the chain above it is how it came to be.
	const steps = lineage.slice(0, -1)
	return (
		<li className="final-item" data-testid="final-item" data-image-id={image.id}>
			<button
				type="button"
				className="final-item__image"
				title="Show it on the board"
				onClick={() => props.onShow(final)}
			>
				<img src={imageFileUrl(boardId, image.id, 'thumb')} alt={`Final: ${image.prompt}`} />
				<span className="final-item__badge">Final</span>
			</button>
			<div className="final-item__meta">
				<div className="final-item__title">{opLabel(image.op, image.params)}</div>
				<div className="final-item__sub">
					{image.width} × {image.height} · {image.createdBy.name} ·{' '}
					{formatDateTime(image.createdAt)}
				</div>
				<p className="final-item__prompt">{image.prompt}</p>
			</div>
			{steps.length > 0 && (
				<ol className="final-item__chain" data-testid="final-lineage" aria-label="Lineage">
					{steps.map((step) => (
						<li key={step.jobId} data-testid="final-lineage-step" title={step.prompt}>
							{step.imageId ? (
								<img src={imageFileUrl(boardId, step.imageId, 'thumb')} alt="" />
							) : (
								<span className="final-item__grid" aria-hidden="true" />
							)}
							<span>{opLabel(step.op, step.params)}</span>
						</li>
					))}
				</ol>
			)}
			<DownloadLink
				className="link-button final-item__download"
				data-testid="final-download"
				href={imageDownloadUrl(boardId, image.id)}
				fallbackName={`${image.id}.png`}
			>
				Download PNG with provenance
			</DownloadLink>
		</li>
	)
}
