import { useEffect, useState } from 'react'
import { DEFAULT_BOTTOM_RESERVED } from './placement'

/** Room kept between a floating bar and the prompt bar. */
const CLEARANCE = 12

/**
 * How many pixels at the bottom of the canvas the prompt bar covers (it grows when its
 * parameters open, or a notice shows), kept current as it resizes. `inside` is any element in
 * the canvas area (the editor's container).
 */
export function useCoveredBottom(inside: HTMLElement): number {
	const [covered, setCovered] = useState(DEFAULT_BOTTOM_RESERVED)
	useEffect(() => {
		const canvas = inside.closest<HTMLElement>('.board-canvas')
		const bar = canvas?.querySelector<HTMLElement>('[data-testid="prompt-bar"]')
		if (!canvas || !bar) return
		const measure = () => {
			const top = bar.getBoundingClientRect().top - canvas.getBoundingClientRect().top
			setCovered(Math.max(0, Math.round(canvas.clientHeight - top + CLEARANCE)))
		}
		measure()
		const observer = new ResizeObserver(measure)
		observer.observe(bar)
		observer.observe(canvas)
		return () => observer.disconnect()
	}, [inside])
	return covered
}
