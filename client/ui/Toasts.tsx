import {
	createContext,
	type ReactNode,
	useCallback,
	useContext,
	useLayoutEffect,
	useMemo,
	useRef,
	useState,
} from 'react'
import { useValue } from 'tldraw'
import { toastPlacer } from './toastDock'

export type ToastKind = 'info' | 'success' | 'error'

interface Toast {
	id: number
	kind: ToastKind
	message: string
}

interface ToastApi {
	/** Shows a toast; returns its id, for `dismiss` once what it says is no longer true. */
	show(kind: ToastKind, message: string): number
	/** Takes a toast away early (the fix it asked for was made). Unknown ids are ignored. */
	dismiss(id: number): void
}

const ToastContext = createContext<ToastApi>({
	// Outside a provider (tests, exports) there is nowhere to show it.
	show: () => 0,
	dismiss: () => {},
})

export function useToasts(): ToastApi {
	return useContext(ToastContext)
}

const DURATION_MS = { info: 3500, success: 3500, error: 7000 } as const
let nextId = 1

/**
 * Small, calm notices; errors stay longer and can be dismissed. On a board they sit in the corner
 * of the canvas that covers the fewest nodes (see `placeToasts`), elsewhere at the top.
 */
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
			return id
		},
		[dismiss],
	)
	const api = useMemo(() => ({ show, dismiss }), [show, dismiss])
	const stack = useRef<HTMLDivElement>(null)
	const [size, setSize] = useState({ w: 360, h: 0 })
	useLayoutEffect(() => {
		const element = stack.current
		if (!element) return
		const next = { w: element.offsetWidth, h: element.offsetHeight }
		if (next.w !== size.w || next.h !== size.h) setSize(next)
	})
	const spot = useValue(
		'toast spot',
		() => (toasts.length > 0 && size.h > 0 ? (toastPlacer.get()?.(size) ?? null) : null),
		[toasts.length, size],
	)
	return (
		<ToastContext.Provider value={api}>
			{children}
			<div
				ref={stack}
				className="toasts"
				aria-live="polite"
				data-placed={spot ? 'board' : 'page'}
				style={spot ? { left: spot.left, top: spot.top, transform: 'none' } : undefined}
			>
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
