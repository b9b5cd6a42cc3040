import type { Editor } from 'tldraw'
import type { Board, Role } from '../../shared/api'
import type { BoardContextValue } from '../board/BoardContext'
import type { BoardSync } from '../board/BoardSync'
import { BoardUsagePanel } from './budget/BoardUsagePanel'
import type { BoardChrome } from './client/boardChrome'
import { FinalsPanel } from './finals/FinalsPanel'
import { Inspector } from './Inspector'
import { ReviewSummaryPanel } from './review/ReviewSummaryPanel'

/** The panel the header toggles open beside the canvas (one at a time), or none. */
export type SidePanel = 'usage' | 'finals' | 'review' | null

interface BoardSidePanelsProps {
	/** Which header panel is open. */
	panel: SidePanel
	/** The board record (the usage panel edits its cap). */
	board: Board
	/** The reader's member role (a client's is `viewer`): the usage panel offers owners the cap. */
	role: Role
	chrome: BoardChrome
	sync: BoardSync | null
	editor: Editor | null
	/** The board's actions; null until the sync exists. */
	boardValue: BoardContextValue | null
	onBoardChange(board: Board): void
	onClose(): void
}

/**
 * Everything right of the canvas: the inspector of the active candidate, then the panel the header
 * opened (usage, finals, review summary) — each only once what it reads exists and only for the
 * roles whose chrome offers it, so a panel never mounts half-ready or for someone it would fail.
 */
export function BoardSidePanels(props: BoardSidePanelsProps) {
	const { panel, chrome, sync, editor, boardValue, onClose } = props
	return (
		<>
			{editor && boardValue && <Inspector editor={editor} board={boardValue} />}
			{panel === 'usage' && sync && chrome.usage && (
				<BoardUsagePanel
					board={props.board}
					role={props.role}
					boardJobs={sync.boardJobs}
					onBoardChange={props.onBoardChange}
					onClose={onClose}
				/>
			)}
			{panel === 'finals' && chrome.finals && sync && editor && boardValue && (
				<FinalsPanel
					editor={editor}
					board={boardValue}
					boardJobs={sync.boardJobs}
					onClose={onClose}
				/>
			)}
			{panel === 'review' && editor && boardValue && (
				<ReviewSummaryPanel editor={editor} board={boardValue} onClose={onClose} />
			)}
		</>
	)
}
