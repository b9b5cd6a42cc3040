import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import type { Board } from '../../../shared/api'
import type { Person } from '../../board/presence'
import { ActivityTab } from './ActivityTab'
import { ClientViewTab } from './ClientViewTab'
import { LinksTab } from './LinksTab'
import { MembersTab } from './MembersTab'
import './sharing.css'

const TABS = [
	{ id: 'members', label: 'Members' },
	{ id: 'links', label: 'Links' },
	{ id: 'client', label: 'Client view' },
	{ id: 'activity', label: 'Activity' },
] as const
type Tab = (typeof TABS)[number]['id']

export interface ShareDialogProps {
	board: Board
	/** Owners manage everything; members see who is on the board. */
	manage: boolean
	people: Person[]
	selfId: string
	onClose(): void
}

const FOCUSABLE =
	'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea, a[href], [tabindex]:not([tabindex="-1"])'

/**
 * Who has this board and how: members, links, the client view and the audit log (owners), or a
 * read-only member list (everyone else). Escape closes; Tab stays inside; focus returns to the
 * Share button.
 */
export function ShareDialog({ board, manage, people, selfId, onClose }: ShareDialogProps) {
	const [tab, setTab] = useState<Tab>('members')
	const titleId = useId()
	const panelRef = useRef<HTMLDivElement>(null)
	const tabRefs = useRef(new Map<Tab, HTMLButtonElement>())

	useEffect(() => {
		const previous = document.activeElement as HTMLElement | null
		const first = manage
			? tabRefs.current.get('members')
			: panelRef.current?.querySelector('button')
		first?.focus()
		return () => previous?.focus?.()
	}, [manage])

	// Escape with the focus outside the dialog (on the page, after a row went away) closes it too.
	// Keys inside the dialog never get here: onKeyDown stops them.
	useEffect(() => {
		const onWindowKey = (event: globalThis.KeyboardEvent) => {
			if (event.key === 'Escape') onClose()
		}
		window.addEventListener('keydown', onWindowKey)
		return () => window.removeEventListener('keydown', onWindowKey)
	}, [onClose])

	const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
		// The canvas must not see keys typed here (tldraw would switch tools on letters).
		event.stopPropagation()
		if (event.key === 'Escape') {
			event.preventDefault()
			onClose()
			return
		}
		if (event.key === 'Tab') trapTab(event, panelRef.current)
	}

	const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
		const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0
		if (!step) return
		event.preventDefault()
		const index = TABS.findIndex((t) => t.id === tab)
		const next = TABS[(index + step + TABS.length) % TABS.length].id
		setTab(next)
		tabRefs.current.get(next)?.focus()
	}

	return (
		<div
			className="dialog-backdrop"
			data-testid="share-backdrop"
			onPointerDown={(e) => {
				if (e.target === e.currentTarget) onClose()
			}}
		>
			<div
				ref={panelRef}
				className="share-dialog"
				role="dialog"
				aria-modal="true"
				aria-labelledby={titleId}
				tabIndex={-1}
				data-testid="share-dialog"
				onKeyDown={onKeyDown}
			>
				<header className="share-dialog__header">
					<div>
						<h2 id={titleId}>{manage ? 'Share this board' : 'People on this board'}</h2>
						<p className="muted share-dialog__board">{board.name}</p>
					</div>
					<button
						type="button"
						className="icon-button"
						aria-label="Close"
						data-testid="share-close"
						onClick={onClose}
					>
						×
					</button>
				</header>
				{manage && (
					<div className="share-tabs" role="tablist" aria-label="Sharing">
						{TABS.map((t) => (
							<button
								key={t.id}
								ref={(el) => {
									if (el) tabRefs.current.set(t.id, el)
									else tabRefs.current.delete(t.id)
								}}
								type="button"
								role="tab"
								id={`${titleId}-${t.id}`}
								aria-selected={tab === t.id}
								aria-controls={`${titleId}-panel`}
								tabIndex={tab === t.id ? 0 : -1}
								className={`share-tab${tab === t.id ? ' is-on' : ''}`}
								data-testid={`share-tab-${t.id}`}
								onClick={() => setTab(t.id)}
								onKeyDown={onTabKey}
							>
								{t.label}
							</button>
						))}
					</div>
				)}
				<div
					className="share-dialog__body"
					role="tabpanel"
					id={`${titleId}-panel`}
					aria-labelledby={manage ? `${titleId}-${tab}` : titleId}
				>
					{tab === 'members' && (
						<MembersTab boardId={board.id} manage={manage} people={people} selfId={selfId} />
					)}
					{manage && tab === 'links' && <LinksTab boardId={board.id} />}
					{manage && tab === 'client' && <ClientViewTab boardId={board.id} />}
					{manage && tab === 'activity' && <ActivityTab boardId={board.id} />}
				</div>
			</div>
		</div>
	)
}

/** Keeps Tab and Shift+Tab cycling inside `root`. */
function trapTab(event: KeyboardEvent, root: HTMLElement | null) {
	if (!root) return
	const items = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
		(el) => el.offsetParent !== null,
	)
	if (items.length === 0) return
	const first = items[0]
	const last = items[items.length - 1]
	if (event.shiftKey && document.activeElement === first) {
		event.preventDefault()
		last.focus()
	} else if (!event.shiftKey && document.activeElement === last) {
		event.preventDefault()
		first.focus()
	}
}
