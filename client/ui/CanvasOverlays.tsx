import type { Editor } from 'tldraw'
import type { AccessRole } from '../../shared/api'
import type { BoardContextValue } from '../board/BoardContext'
import type { BoardSync } from '../board/BoardSync'
import type { BoardChrome } from './client/boardChrome'
import { ClientEmptyHint } from './client/ClientEmptyHint'
import { EmptyCanvasHint } from './EmptyCanvasHint'
import { NewResultCue } from './NewResultCue'
import { PromptBar } from './PromptBar'
import { QueuePanel } from './queue/QueuePanel'
import { PresenterBanner } from './review/PresenterBanner'
import { ActionBar } from './steer/ActionBar'
import { ToastDock } from './ToastDock'

interface CanvasOverlaysProps {
	editor: Editor
	board: BoardContextValue
	sync: BoardSync
	role: AccessRole
	chrome: BoardChrome
	userId: string
	/** The board's remembered model (the prompt bar's default). */
	defaultModel?: string | null
	/** Opens the usage panel (the prompt bar's "over budget" link); absent when it is not offered. */
	onOpenUsage?: () => void
}

/**
 * What floats over the loaded canvas, gated by the role's chrome: the empty-board hint (a client's
 * says nothing is published yet), the queue, the action bar, the new-result cue, the presenter banner and — for those
 * who can generate — the prompt bar.
 */
export function CanvasOverlays(props: CanvasOverlaysProps) {
	const { editor, board, chrome } = props
	return (
		<>
			{props.role === 'client' ? (
				<ClientEmptyHint editor={editor} />
			) : (
				<EmptyCanvasHint editor={editor} canEdit={board.canEdit} />
			)}
			{chrome.queue && <QueuePanel editor={editor} board={board} userId={props.userId} />}
			<ActionBar editor={editor} board={board} />
			<NewResultCue editor={editor} boardId={board.boardId} userId={props.userId} />
			<ToastDock editor={editor} />
			<PresenterBanner editor={editor} sync={props.sync} />
			{chrome.promptBar && (
				<PromptBar
					editor={editor}
					boardId={board.boardId}
					canEdit={board.canEdit}
					defaultModel={props.defaultModel}
					onOpenUsage={props.onOpenUsage}
				/>
			)}
		</>
	)
}
