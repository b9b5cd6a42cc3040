import { type KeyboardEvent, useEffect, useLayoutEffect, useState } from 'react'
import type { Editor } from 'tldraw'
import { type Dimensions, outputDimensions } from '../../../shared/ops/geometry'
import {
	UPSCALE_FACTORS,
	UPSCALE_MODES,
	type UpscaleFactor,
	type UpscaleMode,
} from '../../../shared/ops/params'
import { priceOf } from '../../../shared/ops/pricing'
import type { ActiveCandidate, BoardContextValue } from '../../board/BoardContext'
import { upscaleShortcut } from '../../board/shortcuts'
import { creditsText } from '../../budget/limits'
import { usePopover } from '../usePopover'
import { nodesInView, placeMenu, viewportRect } from './placement'

/** Up and down arrows walk a menu's items, wrapping around. */
function moveFocus(event: KeyboardEvent<HTMLDivElement>) {
	if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
	event.preventDefault()
	event.stopPropagation()
	const items = [...event.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]')]
	const at = items.indexOf(document.activeElement as HTMLElement)
	const step = event.key === 'ArrowDown' ? 1 : -1
	items[(at + step + items.length) % items.length]?.focus()
}

interface UpscaleMenuProps {
	editor: Editor
	board: BoardContextValue
	active: ActiveCandidate
	parent: Dimensions
	/** The model's price scale (its admin-set prompt price over the catalogue's). */
	scale?: number
	/** Whether the engine steering runs on offers this mode and factor (hidden otherwise). */
	offers?: (params: { mode: UpscaleMode; factor: UpscaleFactor }) => boolean
}

const MODE_NOTES: Record<UpscaleMode, string> = {
	subtle: 'Neural upscaler, true to the draft',
	creative: 'Upscales, then paints new detail',
}

function listOption(
	imageId: string,
	params: { mode: UpscaleMode; factor: UpscaleFactor },
	parent: Dimensions,
	scale: number,
) {
	try {
		return {
			price: priceOf({ op: 'upscale', parentImageId: imageId, params }, parent, scale),
			size: outputDimensions('upscale', params, parent),
		}
	} catch {
		// OpInputError: the server explains in the confirmation step.
		return null
	}
}

/**
 * The commit op: four ways to make a final (subtle or creative, 2× or 4×), each with its list
 * price and key. Choosing one asks for confirmation with the server's exact quote.
 */
export function UpscaleMenu({
	editor,
	board,
	active,
	parent,
	scale = 1,
	offers,
}: UpscaleMenuProps) {
	const popover = usePopover()
	const panel = popover.panelProps.ref
	const [at, setAt] = useState<{ left: number; top: number } | null>(null)

	// Opens away from the grid being upscaled (and off the other nodes), inside the canvas.
	useLayoutEffect(() => {
		const element = panel.current
		const trigger = popover.triggerProps.ref.current
		const wrapper = trigger?.parentElement
		const bar = trigger?.closest('.action-bar')
		const canvas = trigger?.closest('.board-canvas')
		if (!popover.open || !element || !trigger || !wrapper || !bar || !canvas) {
			setAt(null)
			return
		}
		const rect = (e: Element) => {
			const r = e.getBoundingClientRect()
			return { x: r.x, y: r.y, w: r.width, h: r.height }
		}
		const screen = editor.getViewportScreenBounds()
		const toClient = (r: { x: number; y: number; w: number; h: number }) => ({
			...r,
			x: r.x + screen.x,
			y: r.y + screen.y,
		})
		const node = viewportRect(editor, active.shapeId)
		const spot = placeMenu({
			trigger: rect(trigger),
			bar: rect(bar),
			panel: { w: element.offsetWidth, h: element.offsetHeight },
			bounds: rect(canvas),
			node: node && toClient(node),
			others: nodesInView(editor, active.shapeId).map(toClient),
		})
		const origin = rect(wrapper)
		setAt({ left: spot.x - origin.x, top: spot.y - origin.y })
	}, [popover.open, editor, active.shapeId, panel, popover.triggerProps.ref])

	// A menu takes focus on its first item; the arrow keys move between items.
	useEffect(() => {
		if (popover.open) panel.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
	}, [popover.open, panel])
	return (
		<div className="upscale-menu">
			<button
				type="button"
				className="action-bar__button action-bar__button--commit"
				data-testid="action-upscale"
				aria-haspopup="menu"
				title="Upscale to a final — U subtle 2×, Shift+U creative 2×, Alt+U / Alt+Shift+U for 4× (asks first)"
				{...popover.triggerProps}
			>
				<span aria-hidden="true">⤢</span> Upscale <span aria-hidden="true">▾</span>
			</button>
			{popover.open && (
				<div
					{...popover.panelProps}
					className="upscale-menu__panel"
					role="menu"
					aria-label="Upscale"
					data-testid="upscale-menu"
					style={
						at
							? { left: at.left, top: at.top, right: 'auto', bottom: 'auto' }
							: { visibility: 'hidden' }
					}
					onKeyDown={moveFocus}
				>
					<div className="upscale-menu__title">Make a final</div>
					{UPSCALE_MODES.map((mode) => (
						<div key={mode} className="upscale-menu__mode">
							<div className="upscale-menu__mode-name">
								{mode === 'subtle' ? 'Subtle' : 'Creative'}
								<span>{MODE_NOTES[mode]}</span>
							</div>
							{UPSCALE_FACTORS.filter((factor) => offers?.({ mode, factor }) ?? true).map(
								(factor) => {
									const option = listOption(active.imageId, { mode, factor }, parent, scale)
									return (
										<button
											key={factor}
											type="button"
											role="menuitem"
											className="upscale-menu__item"
											data-testid={`upscale-${mode}-${factor}`}
											onClick={() => {
												popover.close()
												void board.upscale(active, { mode, factor })
											}}
										>
											<span className="upscale-menu__factor">{factor}×</span>
											<span className="upscale-menu__size">
												{option ? `${option.size.width} × ${option.size.height}` : ''}
											</span>
											<span className="upscale-menu__price">
												{option ? creditsText(option.price) : ''}
											</span>
											<kbd>{upscaleShortcut(mode, factor)}</kbd>
										</button>
									)
								},
							)}
						</div>
					))}
					<p className="upscale-menu__note">You confirm the exact price next.</p>
				</div>
			)}
		</div>
	)
}
