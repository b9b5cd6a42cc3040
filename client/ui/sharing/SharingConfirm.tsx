import {
	type KeyboardEvent,
	type ReactNode,
	useCallback,
	useEffect,
	useId,
	useRef,
	useState,
} from 'react'

export interface SharingConfirmProps {
	title: string
	children?: ReactNode
	confirmLabel: string
	busy?: boolean
	/** Shown under the text when the last attempt failed. */
	error?: string | null
	onConfirm(): void
	onCancel(): void
}

/**
 * "Are you sure?" for removing a member or revoking a link: over the share dialog, focus on
 * Cancel (the safe choice), Escape cancels, Tab stays between the two buttons.
 */
export function SharingConfirm(props: SharingConfirmProps) {
	const titleId = useId()
	const cancelRef = useRef<HTMLButtonElement>(null)
	const confirmRef = useRef<HTMLButtonElement>(null)

	useEffect(() => {
		const previous = document.activeElement as HTMLElement | null
		// The button that opened this may be gone afterwards (a revoked link has no Revoke).
		const around = previous?.closest<HTMLElement>('[role="dialog"]')
		cancelRef.current?.focus()
		return () => (previous?.isConnected ? previous : around)?.focus()
	}, [])

	const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
		// The share dialog below and the canvas must not also act on these keys.
		event.stopPropagation()
		if (event.key === 'Escape' && !props.busy) {
			event.preventDefault()
			props.onCancel()
		}
		if (event.key === 'Tab') {
			event.preventDefault()
			const next = document.activeElement === cancelRef.current ? confirmRef : cancelRef
			next.current?.focus()
		}
	}

	return (
		<div className="dialog-backdrop dialog-backdrop--over" data-testid="sharing-confirm-backdrop">
			<div
				className="dialog"
				role="alertdialog"
				aria-modal="true"
				aria-labelledby={titleId}
				data-testid="sharing-confirm"
				onKeyDown={onKeyDown}
			>
				<h2 id={titleId}>{props.title}</h2>
				{props.children && <div className="dialog__body">{props.children}</div>}
				{props.error && (
					<p className="field-error" role="alert">
						{props.error}
					</p>
				)}
				<div className="dialog__actions">
					<button
						ref={cancelRef}
						type="button"
						className="arbor-button"
						data-testid="sharing-confirm-cancel"
						disabled={props.busy}
						onClick={props.onCancel}
					>
						Cancel
					</button>
					<button
						ref={confirmRef}
						type="button"
						className="arbor-button arbor-button--danger"
						data-testid="sharing-confirm-ok"
						disabled={props.busy}
						onClick={props.onConfirm}
					>
						{props.busy ? 'Working…' : props.confirmLabel}
					</button>
				</div>
			</div>
		</div>
	)
}

interface Ask {
	title: string
	body: ReactNode
	confirmLabel: string
	/** The act; a rejection keeps the dialog open with the error in words. */
	run(): Promise<void>
}

/** One confirm at a time: `ask({…})` opens it; `element` renders it (or nothing). */
export function useSharingConfirm(describe: (error: unknown) => string) {
	const [asking, setAsking] = useState<Ask | null>(null)
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const ask = useCallback((next: Ask) => {
		setError(null)
		setBusy(false)
		setAsking(next)
	}, [])
	const element = asking && (
		<SharingConfirm
			title={asking.title}
			confirmLabel={asking.confirmLabel}
			busy={busy}
			error={error}
			onCancel={() => setAsking(null)}
			onConfirm={() => {
				setBusy(true)
				asking
					.run()
					.then(() => setAsking(null))
					.catch((failure: unknown) => setError(describe(failure)))
					.finally(() => setBusy(false))
			}}
		>
			{asking.body}
		</SharingConfirm>
	)
	return { ask, element }
}
