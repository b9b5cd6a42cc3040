import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
	atom,
	createTLCurrentUser,
	type Editor,
	getUserPreferences,
	react,
	type TLComponents,
	type TLStoreWithStatus,
	type TLUserPreferences,
	Tldraw,
	useValue,
} from 'tldraw'
import {
	type AccessRole,
	type Board,
	canEdit as canEditRole,
	type Role,
	type User,
} from '../../shared/api'
import { GENERATION_SHAPE, type GenerationShape } from '../../shared/shapes/generationShape'
import type { ClientViewSettings } from '../../shared/sharing'
import { type ActiveCandidate, BoardContext, type SteerModel } from '../board/BoardContext'
import { BoardEffects } from '../board/BoardEffects'
import { cameraOverrides } from '../board/cameraOverrides'
import type { ConnectionState } from '../board/connection'
import { jumpToPerson } from '../board/jumpToPerson'
import { LineageOverlayUtil } from '../board/lineage/LineageOverlayUtil'
import { type FileDropContext, registerFileDrop } from '../board/registerFileDrop'
import { useBoardActions } from '../board/useBoardActions'
import { useBoardSync } from '../board/useBoardSync'
import { useBudget } from '../budget/BudgetContext'
import { arborShapeUtils } from '../shapes/arborShapeUtils'
import { DistantOverview } from '../shapes/generation/overview/DistantOverview'
import { arborUiOverrides } from '../shapes/shapeNames'
import { ArborStylePanel } from './ArborStylePanel'
import { BoardHeader } from './BoardHeader'
import { BoardSidePanels, type SidePanel } from './BoardSidePanels'
import { CanvasOverlays } from './CanvasOverlays'
import { ConnectionNotice } from './ConnectionNotice'
import { boardChrome, clientReviewLine } from './client/boardChrome'
import { FollowAwareHelperButtons } from './review/FollowAwareHelperButtons'
import { ReviewProvider } from './review/ReviewContext'
import { ReviewHeaderTools } from './review/ReviewHeaderTools'
import { GuestLostAccess } from './sharing/GuestLostAccess'
import { useToasts } from './Toasts'
import { useCommitConfirm } from './useCommitConfirm'

// Bundled by Vite: no CDN, the app works offline.
const assetUrls = getAssetUrlsByImport()
// One page per board: the page menu would only offer ways to break that.
// The header already lists who is here, so tldraw's people menu (in the share panel) would repeat it.
// Following a presenter, the presenter banner is the indicator (who, in their colour) and holds
// "Stop following": tldraw's coloured frame and its own stop button would say it twice.
const components: TLComponents = {
	PageMenu: null,
	SharePanel: null,
	DebugMenu: null,
	DebugPanel: null,
	StylePanel: ArborStylePanel,
	FollowingIndicator: null,
	HelperButtons: FollowAwareHelperButtons,
	// Zoomed far out, the pixels of every distant node (one set of canvases under the shapes).
	OnTheCanvas: DistantOverview,
}
const CONNECTING: ConnectionState = { kind: 'connecting' }
const QUEUE_OPEN_KEY = 'arbor:queue-open'
// tldraw 5 binds bare 1–9/0 to "click the nth toolbar button". Arbor gives 1–4 to the candidates of
// the selected node (the grid is what people work with here); every tool keeps its letter key.
const options = { enableToolbarKeyboardShortcuts: false } as const
// Arbor's names for its shapes; zoom to fit / to selection framed inside the UI's insets.
const uiOverrides = [arborUiOverrides, cameraOverrides]
// The selected node's ancestor path, drawn over the canvas (never written to the doc).
const overlayUtils = [LineageOverlayUtil]

/** tldraw's idea of "me": our real user id (so our own presence is never drawn), name, colour. */
function tldrawUserFor(user: User) {
	const preferences = atom<TLUserPreferences>('user preferences', {
		...getUserPreferences(),
		id: user.id,
		name: user.name,
		color: user.color,
	})
	return createTLCurrentUser({
		userPreferences: preferences,
		setUserPreferences: (next) => preferences.set({ ...next, id: user.id }),
	})
}

interface BoardWorkspaceProps {
	board: Board
	role: AccessRole
	user: User
	/** Clients: what the owner shows them (the header says whether they may comment). */
	clientView?: ClientViewSettings | null
	/** The owner's name when the server gives it ("Shared by Ana"). */
	ownerName?: string | null
	onSessionEnded(notice?: string): void
}

/**
 * The open board: header (queue, usage, credits), the live canvas, the prompt bar, and the side
 * panels (inspector, board usage).
 */
export function BoardWorkspace({ role, user, onSessionEnded, ...props }: BoardWorkspaceProps) {
	const canEdit = canEditRole(role)
	const chrome = boardChrome(role, user)
	// The board's actions and panels know member roles; a client only looks, like a viewer.
	const memberRole: Role = role === 'client' ? 'viewer' : role
	const toasts = useToasts()
	const budget = useBudget()
	// The cap can change here (the usage panel); the rest of the board record doesn't.
	const [board, setBoard] = useState(props.board)
	const sync = useBoardSync({ boardId: board.id, user, canEdit })
	const [editor, setEditor] = useState<Editor | null>(null)
	const [panel, setPanel] = useState<SidePanel>(null)
	const editorRef = useRef<Editor | null>(null)
	const dropRef = useRef<FileDropContext | null>(null)
	const commit = useCommitConfirm()
	const active = useMemo(() => atom<ActiveCandidate | null>('active candidate', null), [])
	const remixing = useMemo(() => atom('remixing', false), [])
	const steerModel = useMemo(() => atom<SteerModel | null>('steer model', null), [])
	const queueOpen = useMemo(
		() => atom('queue open', localStorage.getItem(QUEUE_OPEN_KEY) === 'true'),
		[],
	)
	const tlUser = useMemo(() => tldrawUserFor(user), [user])
	const credits = budget?.credits

	// A job appeared or its status moved: a reservation, a settlement or a refund may have changed
	// the balance. (Also runs once on open.)
	useEffect(() => {
		if (!sync || !credits) return
		return react('credits follow job statuses', () => {
			sync.boardJobs.get()
			credits.refreshSoon()
		})
	}, [sync, credits])

	useEffect(
		() =>
			react('remember the queue panel', () => {
				localStorage.setItem(QUEUE_OPEN_KEY, String(queueOpen.get()))
			}),
		[queueOpen],
	)

	const boardValue = useBoardActions({
		sync,
		boardId: board.id,
		role: memberRole,
		canEdit,
		userName: user.name,
		editorRef,
		active,
		queueOpen,
		remixing,
		steerModel,
		confirm: commit.confirm,
	})
	dropRef.current = boardValue && {
		boardId: board.id,
		canEdit,
		userName: user.name,
		notify: toasts.show,
		pick: boardValue.pick,
	}

	const connection = useValue('connection', () => sync?.connection.get() ?? CONNECTING, [sync])
	const isLoaded = useValue('is loaded', () => sync?.isLoaded.get() ?? false, [sync])
	const people = useValue('people', () => sync?.people.get() ?? [], [sync])
	const pending = useValue('pending jobs', () => sync?.boardJobs.get().pending.length ?? 0, [sync])
	const isQueueOpen = useValue('queue open', () => queueOpen.get(), [queueOpen])
	const finals = useValue(
		'finals on the canvas',
		() =>
			editor
				?.getCurrentPageShapes()
				.filter(
					(shape) =>
						shape.type === GENERATION_SHAPE &&
						(shape as GenerationShape).props.kind === 'final' &&
						(shape as GenerationShape).props.status === 'done',
				).length ?? 0,
		[editor],
	)

	const store = useMemo<TLStoreWithStatus>(() => {
		if (!sync || !isLoaded) return { status: 'loading' }
		return {
			status: 'synced-remote',
			store: sync.store,
			connectionStatus: connection.kind === 'online' ? 'online' : 'offline',
		}
	}, [sync, isLoaded, connection.kind])

	const onMount = useCallback((mounted: Editor) => {
		editorRef.current = mounted
		setEditor(mounted)
		// After tldraw's own handlers (onMount runs last): drops go to Arbor, not to tldraw assets.
		registerFileDrop(mounted, () => dropRef.current)
		return () => {
			editorRef.current = null
			setEditor(null)
		}
	}, [])

	const blocked = connection.kind === 'refused' || connection.kind === 'outdated'
	const togglePanel = (next: SidePanel) => setPanel((open) => (open === next ? null : next))

	return (
		<BoardContext.Provider value={boardValue}>
			<ReviewProvider
				sync={sync}
				boardId={board.id}
				role={role}
				selfId={user.id}
				clientView={props.clientView}
			>
				<div className="board-page">
					<BoardHeader
						board={board}
						user={user}
						chrome={chrome}
						clientLine={
							role === 'client'
								? clientReviewLine({ ownerName: props.ownerName, clientView: props.clientView })
								: undefined
						}
						connection={connection}
						people={people}
						pending={pending}
						queueOpen={isQueueOpen}
						onToggleQueue={() => queueOpen.update((open) => !open)}
						usageOpen={panel === 'usage'}
						onToggleUsage={canEdit ? () => togglePanel('usage') : undefined}
						finalsOpen={panel === 'finals'}
						finals={finals}
						onToggleFinals={() => togglePanel('finals')}
						onJumpTo={
							editor
								? (person) => {
										if (!jumpToPerson(editor, person.id))
											toasts.show('info', `${person.name} is not on the canvas right now.`)
									}
								: undefined
						}
						reviewTools={
							<ReviewHeaderTools
								sync={sync}
								role={role}
								summaryOpen={panel === 'review'}
								onToggleSummary={() => togglePanel('review')}
							/>
						}
					/>
					<div className="board-body">
						<div className="board-canvas" data-testid="board-canvas" data-loaded={isLoaded}>
							{sync && boardValue && isLoaded && (
								<Tldraw
									store={store}
									shapeUtils={arborShapeUtils}
									assetUrls={assetUrls}
									components={components}
									options={options}
									overlayUtils={overlayUtils}
									overrides={uiOverrides}
									licenseKey={import.meta.env.VITE_TLDRAW_LICENSE_KEY}
									user={tlUser}
									onMount={onMount}
								>
									<BoardEffects sync={sync} board={boardValue} userId={user.id} />
								</Tldraw>
							)}
							{!isLoaded && !blocked && (
								<div className="canvas-loading" data-testid="board-loading">
									<span className="spinner" aria-hidden="true" />
									Connecting to the board…
								</div>
							)}
							{editor && boardValue && sync && isLoaded && (
								<CanvasOverlays
									editor={editor}
									board={boardValue}
									sync={sync}
									role={role}
									chrome={chrome}
									userId={user.id}
									defaultModel={board.defaultModel}
									onOpenUsage={chrome.usage ? () => setPanel('usage') : undefined}
								/>
							)}
							{blocked &&
								(user.isGuest && connection.kind === 'refused' ? (
									<GuestLostAccess connection={connection} />
								) : (
									<ConnectionNotice
										connection={connection}
										onSignInAgain={() => onSessionEnded()}
									/>
								))}
						</div>
						<BoardSidePanels
							panel={panel}
							board={board}
							role={memberRole}
							chrome={chrome}
							sync={sync}
							editor={editor}
							boardValue={boardValue}
							onBoardChange={setBoard}
							onClose={() => setPanel(null)}
						/>
					</div>
				</div>
				{commit.dialog}
			</ReviewProvider>
		</BoardContext.Provider>
	)
}
