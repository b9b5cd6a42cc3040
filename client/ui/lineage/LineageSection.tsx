import { useEffect, useState } from 'react'
import type { Editor } from 'tldraw'
import type { AccessRole } from '../../../shared/api'
import { opLabel } from '../../../shared/ops/labels'
import { jobShapeIds } from '../../../shared/records'
import {
	api,
	imageDownloadUrl,
	imageFileUrl,
	type LineageStepDetails,
	lineageExportUrl,
} from '../../api/client'
import type { BoardContextValue } from '../../board/BoardContext'
import { ensureVisible } from '../../board/reveal'
import { DownloadLink } from '../DownloadLink'
import { describeError } from '../describeError'
import { findCandidate } from '../review/useReviewState'
import { useToasts } from '../Toasts'
import { ParamDiff } from './ParamDiff'

interface LineageSectionProps {
	editor: Editor
	board: BoardContextValue
	/** The reader's role on the board: a client reads the stripped lineage, and no board export. */
	role: AccessRole
	imageId: string
}

type Loaded =
	| { status: 'loading' }
	| { status: 'ready'; lineage: LineageStepDetails[] }
	| { status: 'error'; message: string }

/**
 * Where the active image came from: its ancestors as breadcrumbs (root first; click one to select
 * it on the canvas), what changed from its parent, and the ways to take its provenance along.
 */
export function LineageSection({ editor, board, role, imageId }: LineageSectionProps) {
	const toasts = useToasts()
	const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
	const isClient = role === 'client'

	useEffect(() => {
		const controller = new AbortController()
		api
			.getLineage(board.boardId, imageId, { role, signal: controller.signal })
			.then((lineage) => setLoaded({ status: 'ready', lineage }))
			.catch((error: unknown) => {
				if (controller.signal.aborted) return
				setLoaded({ status: 'error', message: describeError(error, 'image') })
			})
		return () => controller.abort()
	}, [board.boardId, imageId, role])

	const select = (step: LineageStepDetails) => {
		const shapeId = jobShapeIds(step.jobId).node
		if (editor.getShape(shapeId)) {
			// A rerolled grid is a step as a whole: select its node rather than one candidate.
			if (step.imageId === null || step.index === null) editor.select(shapeId)
			else board.pick({ shapeId, index: step.index, imageId: step.imageId })
			ensureVisible(editor, [shapeId])
			return
		}
		// The client view lays its nodes out by image, not by job: find the one showing it.
		const found = step.imageId === null ? null : findCandidate(editor, step.imageId)
		if (!found) {
			toasts.show('info', 'That ancestor’s node is no longer on this board.')
			return
		}
		board.pick(found)
		ensureVisible(editor, [found.shapeId])
	}

	const lineage = loaded.status === 'ready' ? loaded.lineage : []
	const child = lineage.at(-1)
	const parent = lineage.at(-2)

	return (
		<section className="lineage" aria-label="Lineage" data-testid="inspector-lineage">
			<h3 className="inspector__section-title">Lineage</h3>
			{loaded.status === 'loading' && <div className="lineage__skeleton" aria-busy="true" />}
			{loaded.status === 'error' && <p className="form-error">{loaded.message}</p>}
			{loaded.status === 'ready' && (
				<ol className="lineage__crumbs" data-testid="lineage-breadcrumbs">
					{lineage.map((step, i) => {
						const current = i === lineage.length - 1
						return (
							<li key={`${step.jobId}:${step.imageId}`}>
								<button
									type="button"
									className="lineage__crumb"
									data-testid="lineage-crumb"
									data-image-id={step.imageId}
									aria-current={current ? 'step' : undefined}
									disabled={current}
									title={
										current
											? 'This image'
											: step.prompt
												? `Select this ancestor (${step.prompt})`
												: 'Select this ancestor'
									}
									onClick={() => select(step)}
								>
									{step.imageId ? (
										<img src={imageFileUrl(board.boardId, step.imageId, 'thumb')} alt="" />
									) : (
										<span className="lineage__grid" aria-hidden="true" />
									)}
									<span>{opLabel(step.op, step.params)}</span>
								</button>
							</li>
						)
					})}
				</ol>
			)}
			{child && parent && <ParamDiff parent={parent} child={child} />}
			{child && !parent && (
				<p className="lineage__root" data-testid="inspector-diff-root">
					{child.op === 'upload'
						? 'A root: an image someone dropped on the board.'
						: 'A root: straight from a prompt.'}
				</p>
			)}
			<div className="lineage__downloads">
				<DownloadLink
					className="arbor-button arbor-button--small"
					data-testid="download-image"
					href={imageDownloadUrl(board.boardId, imageId)}
					fallbackName={`${imageId}.png`}
					title={
						// A client's copy carries no metadata (the server strips it).
						isClient
							? 'The full-size PNG'
							: 'The full-size PNG, with its prompt, seed and lineage embedded (A1111 and Arbor metadata)'
					}
				>
					Download PNG
				</DownloadLink>
				{/* The whole board's graph is the team's: the server refuses it to clients. */}
				{!isClient && (
					<DownloadLink
						className="link-button"
						data-testid="export-lineage"
						href={lineageExportUrl(board.boardId)}
						fallbackName="lineage.json"
						title="The whole board’s derivation graph: every job, image, parameter and edge"
					>
						Export lineage (JSON)
					</DownloadLink>
				)}
			</div>
		</section>
	)
}
