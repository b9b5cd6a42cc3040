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
import { type Board, canEdit as canEditRole, type Role, type User } from '../../shared/api'
import { jobShapeIds } from '../../shared/records'
import { api } from '../api/client'
import { type ActiveCandidate, BoardContext, type BoardContextValue } from '../board/BoardContext'
import { BoardEffects } from '../board/BoardEffects'
import type { ConnectionState } from '../board/connection'
import { revealWhenReady } from '../board/reveal'
import { useBoardSync } from '../board/useBoardSync'
import { useBudget } from '../budget/BudgetContext'
import { arborShapeUtils } from '../shapes/arborShapeUtils'
import { ArborStylePanel } from './ArborStylePanel'
import { BoardHeader } from './BoardHeader'
import { BoardUsagePanel } from './budget/BoardUsagePanel'
import { ConnectionNotice } from './ConnectionNotice'
import { describeError } from './describeError'
import { EmptyCanvasHint } from './EmptyCanvasHint'
import { Inspector } from './Inspector'
import { PromptBar } from './PromptBar'
import { QueuePanel } from './queue/QueuePanel'
import { useToasts } from './Toasts'

// Bundled by Vite: no CDN, the app works offline.
const assetUrls = getAssetUrlsByImport()
// One page per board: the page menu would only offer ways to break that.
// The header already lists who is here, so tldraw's people menu (in the share panel) would repeat it.
const components: TLComponents = {
	PageMenu: null,
	SharePanel: null,
	DebugMenu: null,
	DebugPanel: null,
	StylePanel: ArborStylePanel,
}
const CONNECTING: ConnectionState = { kind: 'connecting' }
const QUEUE_OPEN_KEY = 'arbor:queue-open'
// tldraw 5 binds bare 1–9/0 to "click the nth toolbar button". Arbor gives 1–4 to the candidates of
// the selected node (the grid is what people work with here); every tool keeps its letter key.
const options = { enableToolbarKeyboardShortcuts: false } as const

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
	role: Role
	user: User
	onSessionEnded(notice?: string): void
}

/**
 * The open board: header (queue, usage, credits), the live canvas, the prompt bar, and the side
 * panels (inspector, board usage).
 */
export function BoardWorkspace({ role, user, onSessionEnded, ...props }: BoardWorkspaceProps) {
	const canEdit = canEditRole(role)
	const toasts = useToasts()
	const budget = useBudget()
	// The cap can change here (the usage panel); the rest of the board record doesn't.
	const [board, setBoard] = useState(props.board)
	const sync = useBoardSync({ boardId: board.id, user, canEdit })
	const [editor, setEditor] = useState<Editor | null>(null)
	const [usageOpen, setUsageOpen] = useState(false)
	const editorRef = useRef<Editor | null>(null)
	const active = useMemo(() => atom<ActiveCandidate | null>('active candidate', null), [])
	const queueOpen = useMemo(
		() => atom('queue open', localStorage.getItem(QUEUE_OPEN_KEY) === 'true'),
		[],
	)
	const tlUser = useMemo(() => tldrawUserFor(user), [user])
	const credits = budget?.credits

	const fail = useCallback(
		(error: unknown, context: 'job' | 'cancel' = 'job') => {
			toasts.show('error', describeError(error, context))
		},
		[toasts],
	)

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

	const boardValue = useMemo<BoardContextValue | null>(() => {
		if (!sync) return null
		return {
			boardId: board.id,
			role,
			canEdit,
			jobs: sync.jobs,
			boardJobs: sync.boardJobs,
			active,
			queueOpen,
			async vary(imageId, strength) {
				const from = active.get()
				try {
					const job = await api.createJob(board.id, {
						op: 'vary',
						parentImageId: imageId,
						params: { strength },
					})
					toasts.show('info', `Vary (${strength}) queued`)
					const current = editorRef.current
					if (current) {
						revealWhenReady(current, jobShapeIds(job.id).node, from ? [from.shapeId] : [])
					}
				} catch (error) {
					fail(error)
				} finally {
					void credits?.refresh()
				}
			},
			async retry(jobId) {
				// A retry is charged again; a refusal (402/429) explains itself in the toast.
				await api.retryJob(board.id, jobId).catch((error) => fail(error))
				void credits?.refresh()
			},
			async cancel(jobId) {
				await api.cancelJob(board.id, jobId).catch((error) => fail(error, 'cancel'))
				void credits?.refresh()
			},
			pick(candidate) {
				// Select first: the active candidate is dropped whenever its node is not selected.
				editorRef.current?.select(candidate.shapeId)
				active.set(candidate)
			},
		}
	}, [sync, board.id, role, canEdit, active, queueOpen, toasts, fail, credits])

	const connection = useValue('connection', () => sync?.connection.get() ?? CONNECTING, [sync])
	const isLoaded = useValue('is loaded', () => sync?.isLoaded.get() ?? false, [sync])
	const people = useValue('people', () => sync?.people.get() ?? [], [sync])
	const pending = useValue('pending jobs', () => sync?.boardJobs.get().pending.length ?? 0, [sync])
	const isQueueOpen = useValue('queue open', () => queueOpen.get(), [queueOpen])

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
		return () => {
			editorRef.current = null
			setEditor(null)
		}
	}, [])

	const blocked = connection.kind === 'refused' || connection.kind === 'outdated'

	return (
		<BoardContext.Provider value={boardValue}>
			<div className="board-page">
				<BoardHeader
					board={board}
					role={role}
					connection={connection}
					people={people}
					pending={pending}
					queueOpen={isQueueOpen}
					onToggleQueue={() => queueOpen.update((open) => !open)}
					usageOpen={usageOpen}
					onToggleUsage={canEdit ? () => setUsageOpen((open) => !open) : undefined}
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
								licenseKey={import.meta.env.VITE_TLDRAW_LICENSE_KEY}
								user={tlUser}
								onMount={onMount}
							>
								<BoardEffects sync={sync} board={boardValue} />
							</Tldraw>
						)}
						{!isLoaded && !blocked && (
							<div className="canvas-loading" data-testid="board-loading">
								<span className="spinner" aria-hidden="true" />
								Connecting to the board…
							</div>
						)}
						{editor && boardValue && isLoaded && (
							<>
								<EmptyCanvasHint editor={editor} canEdit={canEdit} />
								<QueuePanel editor={editor} board={boardValue} userId={user.id} />
								<PromptBar
									editor={editor}
									boardId={board.id}
									canEdit={canEdit}
									onOpenUsage={canEdit ? () => setUsageOpen(true) : undefined}
								/>
							</>
						)}
						{blocked && (
							<ConnectionNotice connection={connection} onSignInAgain={() => onSessionEnded()} />
						)}
					</div>
					{editor && boardValue && <Inspector editor={editor} board={boardValue} />}
					{usageOpen && sync && canEdit && (
						<BoardUsagePanel
							board={board}
							role={role}
							boardJobs={sync.boardJobs}
							onBoardChange={setBoard}
							onClose={() => setUsageOpen(false)}
						/>
					)}
				</div>
			</div>
		</BoardContext.Provider>
	)
}
