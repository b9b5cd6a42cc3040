import { type Editor, useValue } from 'tldraw'
import { jobShapeIds } from '../../../shared/records'
import type { BoardContextValue } from '../../board/BoardContext'
import type { QueueItem } from '../../board/queueModel'
import { ensureVisible } from '../../board/reveal'
import { SHORTCUT_LABELS } from '../../board/shortcuts'
import { useBoardQueue } from '../../board/useBoardQueue'
import { progressView } from '../../shapes/generation/progressText'

interface QueuePanelProps {
	editor: Editor
	board: BoardContextValue
	userId: string
}

/**
 * The board's queue, for everyone on it: what is running and waiting, in order, who asked, how far
 * along, and Cancel where the server allows it. `J` (or the header's Queue button) toggles it.
 */
export function QueuePanel({ editor, board, userId }: QueuePanelProps) {
	const open = useValue('queue open', () => board.queueOpen.get(), [board])
	const queue = useBoardQueue(board, open)
	if (!open) return null
	const focus = (jobId: string) => {
		const shapeId = jobShapeIds(jobId).node
		if (!editor.getShape(shapeId)) return
		editor.select(shapeId)
		ensureVisible(editor, [shapeId])
	}
	return (
		<section
			className="queue-panel"
			data-testid="queue-panel"
			data-canvas-chrome="queue"
			data-source={queue.source}
			aria-label="Queue"
		>
			<header className="queue-panel__header">
				<h2>
					Queue
					<span className="count-badge" data-testid="queue-count">
						{queue.items.length}
					</span>
				</h2>
				<span className="queue-panel__key" title="Toggle the queue">
					<kbd>{SHORTCUT_LABELS.queue}</kbd>
				</span>
				<button
					type="button"
					className="icon-button icon-button--small"
					data-testid="queue-close"
					aria-label="Close the queue"
					title={`Close (${SHORTCUT_LABELS.queue})`}
					onClick={() => board.queueOpen.set(false)}
				>
					×
				</button>
			</header>
			{queue.error && <p className="queue-panel__error">{queue.error}</p>}
			{queue.items.length === 0 ? (
				<div className="queue-panel__empty" data-testid="queue-empty">
					<span className="queue-panel__empty-mark" aria-hidden="true" />
					<p>Nothing queued or running.</p>
					<p className="muted">Jobs anyone starts on this board show up here, in order.</p>
				</div>
			) : (
				<ol className="queue-list" data-testid="queue-list">
					{queue.items.map((item) => (
						<QueueRow
							key={item.jobId}
							item={item}
							isMine={item.createdBy?.id === userId}
							canEdit={board.canEdit}
							onFocus={() => focus(item.jobId)}
							onCancel={() => void board.cancel(item.jobId)}
						/>
					))}
				</ol>
			)}
		</section>
	)
}

interface QueueRowProps {
	item: QueueItem
	isMine: boolean
	canEdit: boolean
	onFocus(): void
	onCancel(): void
}

function QueueRow({ item, isMine, canEdit, onFocus, onCancel }: QueueRowProps) {
	const view = progressView(item.status, {
		status: item.status,
		progress: item.progress,
		position: item.position,
		etaMs: item.etaMs,
	})
	// Unknown (older server): offer it to editors and let the server say no.
	const mayCancel = item.canCancel ?? canEdit
	const who = item.createdBy ? (isMine ? 'You' : item.createdBy.name) : '…'
	return (
		<li
			className={`queue-row queue-row--${item.status}`}
			data-testid="queue-item"
			data-job-id={item.jobId}
			data-status={item.status}
			data-position={item.position ?? ''}
		>
			<div className="queue-row__top">
				<span className={`status-dot status-dot--${item.status}`} aria-hidden="true" />
				<button
					type="button"
					className="queue-row__label"
					data-testid="queue-item-label"
					title="Show it on the canvas"
					onClick={onFocus}
				>
					{item.label}
				</button>
				<span className="queue-row__who" data-testid="queue-item-who">
					{who}
				</span>
			</div>
			{item.prompt && (
				<p className="queue-row__prompt" title={item.prompt}>
					{item.prompt}
				</p>
			)}
			<div className="queue-row__status">
				<span data-testid="queue-item-status">
					{view.headline}
					{view.detail && <span className="muted"> · {view.detail}</span>}
				</span>
				{mayCancel && (
					<button
						type="button"
						className="arbor-button arbor-button--tiny"
						data-testid="queue-item-cancel"
						title="Cancel this job; its unused credits are refunded"
						onClick={onCancel}
					>
						Cancel
					</button>
				)}
			</div>
			<div
				className={`arbor-bar arbor-bar--thin${view.fraction === null ? ' arbor-bar--indeterminate' : ''}`}
				role="progressbar"
				aria-label={`${item.label}: ${view.headline}`}
				aria-valuemin={0}
				aria-valuemax={100}
				aria-valuenow={view.fraction === null ? undefined : Math.round(view.fraction * 100)}
			>
				<div
					className="arbor-bar__fill"
					style={view.fraction === null ? undefined : { width: `${view.fraction * 100}%` }}
				/>
			</div>
		</li>
	)
}
