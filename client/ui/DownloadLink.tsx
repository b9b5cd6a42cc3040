import { type ReactNode, useState } from 'react'
import { downloadFile, downloadRefusal } from '../api/download'
import { useToasts } from './Toasts'

interface DownloadLinkProps {
	href: string
	/** Used when the server names no file. */
	fallbackName: string
	className?: string
	title?: string
	disabled?: boolean
	'data-testid'?: string
	children: ReactNode
}

/**
 * A download that checks the server's answer before saving anything: a refusal (access ended, a
 * session expired) becomes a toast saying so, never a saved JSON error. Still a real link (open
 * in a new tab, copy the address); a plain click goes through `downloadFile`.
 */
export function DownloadLink({ href, fallbackName, children, ...props }: DownloadLinkProps) {
	const toasts = useToasts()
	const [busy, setBusy] = useState(false)
	return (
		<a
			className={`${props.className ?? ''}${props.disabled ? ' is-disabled' : ''}${busy ? ' is-busy' : ''}`}
			data-testid={props['data-testid']}
			href={href}
			download
			title={props.title}
			aria-disabled={props.disabled || busy || undefined}
			aria-busy={busy || undefined}
			onClick={(event) => {
				// Modified clicks keep the browser's own meaning (new tab, save as).
				if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
				event.preventDefault()
				if (props.disabled || busy) return
				setBusy(true)
				downloadFile(href, fallbackName)
					.catch((error: unknown) => toasts.show('error', downloadRefusal(error)))
					.finally(() => setBusy(false))
			}}
		>
			{children}
		</a>
	)
}
