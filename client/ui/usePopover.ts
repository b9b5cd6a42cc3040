import { useCallback, useEffect, useId, useRef, useState } from 'react'

/**
 * Open/close state for a button that opens a small panel: closes on Escape (focus returns to the
 * button) and on a pointer press outside both. Spread `triggerProps` on the button and
 * `panelProps` on the panel.
 */
export function usePopover<Panel extends HTMLElement = HTMLDivElement>() {
	const [open, setOpen] = useState(false)
	const trigger = useRef<HTMLButtonElement | null>(null)
	const panel = useRef<Panel | null>(null)
	const id = useId()

	const close = useCallback((options: { focusTrigger?: boolean } = {}) => {
		setOpen(false)
		if (options.focusTrigger) trigger.current?.focus()
	}, [])

	useEffect(() => {
		if (!open) return
		const onPointerDown = (event: PointerEvent) => {
			const target = event.target as Node | null
			if (!target || trigger.current?.contains(target) || panel.current?.contains(target)) return
			setOpen(false)
		}
		const onKeyDown = (event: KeyboardEvent) => {
			if (event.key !== 'Escape') return
			// Escape closes the panel only; the canvas must not also deselect.
			event.stopPropagation()
			close({ focusTrigger: true })
		}
		document.addEventListener('pointerdown', onPointerDown, true)
		window.addEventListener('keydown', onKeyDown, true)
		return () => {
			document.removeEventListener('pointerdown', onPointerDown, true)
			window.removeEventListener('keydown', onKeyDown, true)
		}
	}, [open, close])

	return {
		open,
		setOpen,
		close,
		triggerProps: {
			ref: trigger,
			'aria-expanded': open,
			'aria-controls': id,
			onClick: () => setOpen((was) => !was),
		},
		panelProps: { ref: panel, id },
	}
}
