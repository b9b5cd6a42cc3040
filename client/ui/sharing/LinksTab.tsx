import { useEffect, useRef, useState } from 'react'
import type { ShareLink, ShareLinkCreated } from '../../../shared/sharing'
import { sharingApi } from '../../api/sharing'
import { relativeTime } from '../relativeTime'
import { LinkCreateForm } from './LinkCreateForm'
import { ListError, ListLoading } from './SharingBits'
import { useSharingConfirm } from './SharingConfirm'
import { guestsText, LINK_ROLE_LABELS, linkStatus } from './shareText'
import { describeSharingError } from './sharingErrors'
import { useRemote } from './useRemote'

/** Create a link (its URL shown once, with Copy), and the board's links with Revoke. */
export function LinksTab({ boardId }: { boardId: string }) {
	const links = useRemote(() => sharingApi.listLinks(boardId), boardId)
	const [created, setCreated] = useState<ShareLinkCreated | null>(null)
	const confirm = useSharingConfirm((error) => describeSharingError(error, 'revoke'))
	const now = Date.now()

	const onCreated = (link: ShareLinkCreated) => {
		setCreated(link)
		links.set((list) => [link, ...list.filter((l) => l.id !== link.id)])
	}

	const revoke = (link: ShareLink) =>
		confirm.ask({
			title: `Revoke this ${LINK_ROLE_LABELS[link.role].toLowerCase()} link?`,
			body: (
				<p>
					The link stops working now. {guestsText(link.guests)}
					{link.guests > 0 ? '; they lose access within seconds, even with the board open.' : '.'}
				</p>
			),
			confirmLabel: 'Revoke link',
			run: async () => {
				await sharingApi.revokeLink(boardId, link.id)
				const revokedAt = new Date().toISOString()
				links.set((list) =>
					list.map((l) => (l.id === link.id ? { ...l, state: 'revoked', revokedAt } : l)),
				)
				if (created?.id === link.id) setCreated(null)
			},
		})

	return (
		<div className="share-section" data-testid="share-links">
			<LinkCreateForm boardId={boardId} onCreated={onCreated} />
			{created && <CreatedLink link={created} onDone={() => setCreated(null)} />}
			<h3 className="share-subhead">Links</h3>
			{links.state.status === 'loading' && <ListLoading />}
			{links.state.status === 'error' && (
				<ListError message={links.state.message} onRetry={links.reload} />
			)}
			{links.state.status === 'ready' && links.state.data.length === 0 && (
				<p className="share-empty" data-testid="links-empty">
					No links yet. A link lets people join without an account: as a viewer, an editor, or a
					client who sees only what you publish.
				</p>
			)}
			{links.state.status === 'ready' && links.state.data.length > 0 && (
				<ul className="share-list" data-testid="link-list">
					{links.state.data.map((link) => {
						const status = linkStatus(link, now)
						return (
							<li
								key={link.id}
								className={`share-row share-row--link is-${status.state}`}
								data-testid="link-row"
								data-link-id={link.id}
								data-state={status.state}
							>
								<span className={`link-role link-role--${link.role}`} aria-hidden="true">
									{LINK_ROLE_LABELS[link.role].charAt(0)}
								</span>
								<span className="share-row__main">
									<span className="share-row__title">
										{link.label || `${LINK_ROLE_LABELS[link.role]} link`}
										<span
											className={`state-pill state-pill--${status.state}`}
											data-testid="link-state"
										>
											{status.label}
										</span>
									</span>
									<span className="share-row__meta">
										{LINK_ROLE_LABELS[link.role]} · {status.detail} · {guestsText(link.guests)} ·
										created {relativeTime(link.createdAt, now)} by {link.createdBy.name}
									</span>
								</span>
								{status.state === 'active' && (
									<button
										type="button"
										className="arbor-button arbor-button--small arbor-button--quiet-danger"
										data-testid="link-revoke"
										onClick={() => revoke(link)}
									>
										Revoke
									</button>
								)}
							</li>
						)
					})}
				</ul>
			)}
			{confirm.element}
		</div>
	)
}

/** The new link's URL, shown once: the server keeps only a hash of the token. */
function CreatedLink({ link, onDone }: { link: ShareLinkCreated; onDone(): void }) {
	const [copied, setCopied] = useState<'idle' | 'copied' | 'select'>('idle')
	const inputRef = useRef<HTMLInputElement>(null)

	useEffect(() => {
		inputRef.current?.select()
	}, [])

	const copy = async () => {
		try {
			await navigator.clipboard.writeText(link.url)
			setCopied('copied')
		} catch {
			// No clipboard permission (http, an iframe): select the text so Ctrl+C copies it.
			inputRef.current?.select()
			setCopied('select')
		}
	}

	return (
		<div className="created-link" data-testid="created-link" role="status">
			<div className="created-link__head">
				<strong>Link ready</strong>
				<span className="muted">Copy it now: for safety it won’t be shown again.</span>
			</div>
			<div className="created-link__row">
				<input
					ref={inputRef}
					className="input created-link__url"
					readOnly
					value={link.url}
					aria-label="The new share link"
					data-testid="created-link-url"
					onFocus={(e) => e.target.select()}
				/>
				<button
					type="button"
					className="arbor-button arbor-button--primary arbor-button--compact"
					data-testid="created-link-copy"
					onClick={() => void copy()}
				>
					{copied === 'copied' ? 'Copied ✓' : 'Copy'}
				</button>
				<button
					type="button"
					className="icon-button icon-button--small"
					aria-label="Done"
					onClick={onDone}
				>
					×
				</button>
			</div>
			{copied === 'select' && (
				<p className="share-form__hint">Your browser blocked copying: press Ctrl+C (⌘C) instead.</p>
			)}
		</div>
	)
}
