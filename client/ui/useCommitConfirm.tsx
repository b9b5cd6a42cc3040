import { type ReactNode, useCallback, useRef, useState } from 'react'
import { useCredits } from '../budget/BudgetContext'
import { ConfirmDialog } from './ConfirmDialog'

export interface CommitConfirmOptions {
	title: string
	description?: ReactNode
	price: number
	/** The balance to count from, when the caller has a fresher one (a quote's); else the meter's. */
	balance?: number
	confirmLabel?: string
}

/**
 * Asks before a commit op (upscale): `await confirm({ title, price })` resolves true on Confirm,
 * false on Cancel or Escape. Render `dialog` somewhere in the tree. The balance shown is the
 * person's current credits.
 *
 * @example
 * const { confirm, dialog } = useCommitConfirm()
 * if (await confirm({ title: 'Upscale 4×', price: 32 })) await api.createJob(…)
 */
export function useCommitConfirm(): {
	confirm(options: CommitConfirmOptions): Promise<boolean>
	dialog: ReactNode
} {
	const credits = useCredits()
	const [asking, setAsking] = useState<CommitConfirmOptions | null>(null)
	const resolver = useRef<((ok: boolean) => void) | null>(null)

	const confirm = useCallback((options: CommitConfirmOptions) => {
		// A second question replaces the first, which counts as cancelled.
		resolver.current?.(false)
		setAsking(options)
		return new Promise<boolean>((resolve) => {
			resolver.current = resolve
		})
	}, [])

	const settle = (ok: boolean) => {
		resolver.current?.(ok)
		resolver.current = null
		setAsking(null)
	}

	const dialog = asking ? (
		<ConfirmDialog
			title={asking.title}
			price={asking.price}
			balance={asking.balance ?? credits?.balance ?? null}
			confirmLabel={asking.confirmLabel}
			onConfirm={() => settle(true)}
			onCancel={() => settle(false)}
		>
			{asking.description}
		</ConfirmDialog>
	) : null

	return { confirm, dialog }
}
