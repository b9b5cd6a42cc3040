import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react'
import { creditsText, formatCredits } from '../budget/limits'

/** What Enter and Escape do in the dialog; other keys are left alone. */
export function confirmKeyAction(
	key: string,
	options: { canConfirm: boolean; busy: boolean; onButton?: boolean },
): 'confirm' | 'cancel' | null {
	if (key === 'Escape') return options.busy ? null : 'cancel'
	// Enter on a focused button presses that button; elsewhere it confirms.
	if (key === 'Enter' && !options.onButton) {
		return options.canConfirm && !options.busy ? 'confirm' : null
	}
	return null
}

/** The figures a commit dialog shows: the price, what is left after it, and whether it fits. */
export function commitSummary(price: number, balance: number | null) {
	if (balance === null) return { price, remaining: null, affordable: true }
	const remaining = Math.round((balance - price) * 100) / 100
	return { price, remaining, affordable: remaining >= 0 }
}

export interface ConfirmDialogProps {
	title: string
	/** What will happen, in a sentence or two. */
	children?: ReactNode
	price: number
	/** The balance now; null when unknown (the server still refuses what can't be paid). */
	balance: number | null
	confirmLabel?: string
	busy?: boolean
	onConfirm(): void
	onCancel(): void
}

/**
 * Asks before a commit op spends real money: the price, the balance left after it, Confirm and
 * Cancel. Enter confirms, Escape cancels; focus starts on Confirm and stays in the dialog.
 * Confirm is off when the balance can't cover the price.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
	const { price, balance, busy = false } = props
	const summary = commitSummary(price, balance)
	const titleId = useId()
	const confirmRef = useRef<HTMLButtonElement>(null)
	const cancelRef = useRef<HTMLButtonElement>(null)

	useEffect(() => {
		const previous = document.activeElement as HTMLElement | null
		;(summary.affordable ? confirmRef : cancelRef).current?.focus()
		return () => previous?.focus?.()
	}, [summary.affordable])

	const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
		// The canvas and the page must not also act on these keys.
		event.stopPropagation()
		if (event.key === 'Tab') {
			// Two buttons: Tab moves between them and never leaves the dialog.
			event.preventDefault()
			const next = document.activeElement === confirmRef.current ? cancelRef : confirmRef
			;(next.current?.disabled ? cancelRef : next).current?.focus()
			return
		}
		const onButton = (event.target as HTMLElement).tagName === 'BUTTON'
		const action = confirmKeyAction(event.key, {
			canConfirm: summary.affordable,
			busy,
			onButton,
		})
		if (!action) return
		event.preventDefault()
		if (action === 'confirm') props.onConfirm()
		else props.onCancel()
	}

	return (
		<div className="dialog-backdrop" data-testid="confirm-backdrop">
			<div
				className="dialog"
				role="alertdialog"
				aria-modal="true"
				aria-labelledby={titleId}
				data-testid="confirm-dialog"
				onKeyDown={onKeyDown}
			>
				<h2 id={titleId}>{props.title}</h2>
				{props.children && <div className="dialog__body">{props.children}</div>}
				<dl className="dialog__figures">
					<dt>Price</dt>
					<dd data-testid="confirm-price">{creditsText(summary.price)}</dd>
					<dt>Balance after</dt>
					<dd
						data-testid="confirm-remaining"
						className={summary.affordable ? undefined : 'is-short'}
					>
						{summary.remaining === null
							? '—'
							: summary.remaining < 0
								? `short by ${creditsText(-summary.remaining)}`
								: creditsText(summary.remaining)}
					</dd>
				</dl>
				{!summary.affordable && balance !== null && (
					<p className="field-error" role="alert" data-testid="confirm-short">
						You have {formatCredits(balance)} credits: not enough for this.
					</p>
				)}
				<div className="dialog__actions">
					<button
						ref={cancelRef}
						type="button"
						className="arbor-button"
						data-testid="confirm-cancel"
						onClick={props.onCancel}
					>
						Cancel <kbd>Esc</kbd>
					</button>
					<button
						ref={confirmRef}
						type="button"
						className="arbor-button arbor-button--primary"
						data-testid="confirm-ok"
						disabled={!summary.affordable || busy}
						onClick={props.onConfirm}
					>
						{busy ? 'Working…' : (props.confirmLabel ?? 'Confirm')} <kbd>Enter</kbd>
					</button>
				</div>
			</div>
		</div>
	)
}
