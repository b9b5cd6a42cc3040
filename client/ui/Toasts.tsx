import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'

export type ToastKind = 'info' | 'success' | 'error'

interface Toast {
	id: number
	kind: ToastKind
	message: string
}

interface ToastApi {
	show(kind: ToastKind, message: string): void
}

const ToastContext = createContext<ToastApi>({
	show: () => {
		// Outside a provider (tests, exports) there is nowhere to show it.
	},
})

export function useToasts(): ToastApi {
	return useContext(ToastContext)
}

const DURATION_MS = { info: 3500, success: 3500, error: 7000 } as const
let nextId = 1

/** Small, calm notices in the top-right corner; errors stay longer and can be dismissed. */
export function ToastProvider({ children }: { children: ReactNode }) {
	const [toasts, setToasts] = useState<Toast[]>([])
	const dismiss = useCallback((id: number) => {
		setToasts((list) => list.filter((t) => t.id !== id))
	}, [])
	const show = useCallback(
		(kind: ToastKind, message: string) => {
			const id = nextId++
			setToasts((list) => [...list.filter((t) => t.message !== message), { id, kind, message }])
			setTimeout(() => dismiss(id), DURATION_MS[kind])
		},
		[dismiss],
	)
	const api = useMemo(() => ({ show }), [show])
	return (
		<ToastContext.Provider value={api}>
			{children}
			<div className="toasts" aria-live="polite">
				{toasts.map((toast) => (
					<div
						key={toast.id}
						className={`toast toast--${toast.kind}`}
						data-testid="toast"
						data-kind={toast.kind}
						role={toast.kind === 'error' ? 'alert' : 'status'}
					>
						<span>{toast.message}</span>
						<button
							type="button"
							className="toast__close"
							aria-label="Dismiss"
							onClick={() => dismiss(toast.id)}
						>
							×
						</button>
					</div>
				))}
			</div>
		</ToastContext.Provider>
	)
}
