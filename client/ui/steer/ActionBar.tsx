import { useLayoutEffect, useRef, useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import type { Dimensions } from '../../../shared/ops/geometry'
import { PAN_DIRECTIONS, type PanDirection, ZOOM_FACTORS } from '../../../shared/ops/params'
import type { GenerationShape } from '../../../shared/shapes/generationShape'
import type { ActiveCandidate, BoardContextValue, ExploreRequest } from '../../board/BoardContext'
import { PAN_KEYS, SHORTCUT_LABELS } from '../../board/shortcuts'
import { useInsets } from '../../board/useInsets'
import { useCredits, useEngines, useModels } from '../../budget/BudgetContext'
import { checkSpend, creditsText } from '../../budget/limits'
import { isOffered, steeringTarget } from '../prompt/modelChoice'
import { barPlacement, explorePrice } from './placement'
import { RemixEditor } from './RemixEditor'
import { SteerModelPicker } from './SteerModelPicker'
import { UpscaleMenu } from './UpscaleMenu'
import { useNodeOrigin } from './useNodeOrigin'

interface ActionBarProps {
	editor: Editor
	board: BoardContextValue
}

/**
 * The steering toolbar under the active candidate's node, in screen space so it stays readable
 * at any zoom: the model steering runs on (the node's own unless the person picks another), Vary,
 * Remix (an inline prompt editor), Zoom out, Pan and Upscale (the commit op, which asks first).
 * Ops that model's engine cannot run are not offered. Reroll sits on the node's header. Every
 * button names its key.
 */
export function ActionBar({ editor, board }: ActionBarProps) {
	const active = useValue('active candidate', () => board.active.get(), [board])
	if (!active || !board.canEdit) return null
	return <ActionBarPanel key={active.imageId} editor={editor} board={board} active={active} />
}

const PAN_ARROWS: Record<PanDirection, string> = { left: '←', right: '→', up: '↑', down: '↓' }

function ActionBarPanel({ editor, board, active }: ActionBarProps & { active: ActiveCandidate }) {
	const ref = useRef<HTMLDivElement>(null)
	const [size, setSize] = useState({ w: 640, h: 44 })
	const remixing = useValue('remixing', () => board.remixing.get(), [board])
	const node = useValue('node', () => editor.getShape<GenerationShape>(active.shapeId), [
		editor,
		active.shapeId,
	])
	const credits = useCredits()
	const models = useModels()
	const engines = useEngines()
	const origin = useNodeOrigin(board.boardId, active.imageId)
	const picked = useValue('steer model', () => board.steerModel.get(), [board])
	const target = steeringTarget({
		origin,
		override: picked?.imageId === active.imageId ? picked.model : null,
		models: models ?? [],
		engines: engines ?? [],
	})
	const offered = (op: Parameters<typeof isOffered>[1], params: Record<string, unknown> = {}) =>
		isOffered(target.capabilities, op, params)
	const insets = useInsets(editor)
	const place = useValue(
		'action bar placement',
		() => barPlacement(editor, active.shapeId, size, insets),
		[editor, active.shapeId, size, insets],
	)

	useLayoutEffect(() => {
		const element = ref.current
		if (!element) return
		const next = { w: element.offsetWidth, h: element.offsetHeight }
		if (next.w !== size.w || next.h !== size.h) setSize(next)
	})

	const cell = node?.props.candidates[active.index]
	if (!node || !cell || !place) return null
	const parent: Dimensions = { width: cell.width, height: cell.height }
	const run = (request: ExploreRequest) => void board.explore(request)
	/** A button's title, state and action: its key and price, or why it can't run now. */
	const act = (label: string, key: string, request: ExploreRequest) => {
		const price = explorePrice(request, parent, target.scale)
		const spend = checkSpend(credits, price)
		const why =
			price === null && request.op === 'pan'
				? `${label} — the image can’t get any narrower that way`
				: !spend.ok
					? `${label} — ${spend.message}`
					: null
		return {
			title: why ?? `${label} — ${key}${price === null ? '' : ` · ${creditsText(price)}`}`,
			disabled: why !== null,
			onClick: () => run(request),
		}
	}
	const imageId = active.imageId

	return (
		<div
			ref={ref}
			className={`action-bar${remixing ? ' action-bar--remix' : ''}`}
			style={{ left: place.left, top: place.top }}
			data-testid="action-bar"
			data-placement={place.side}
			role="toolbar"
			aria-label={`Steer candidate ${active.index + 1}`}
		>
			{remixing ? (
				<RemixEditor
					board={board}
					imageId={imageId}
					initialPrompt={node.props.prompt}
					price={explorePrice(
						{ op: 'remix', parentImageId: imageId, prompt: 'x' },
						parent,
						target.scale,
					)}
					onClose={() => board.remixing.set(false)}
				/>
			) : (
				<>
					<div className="action-bar__group action-bar__group--model">
						<span className="action-bar__label" aria-hidden="true">
							Model
						</span>
						<SteerModelPicker board={board} imageId={imageId} models={models} target={target} />
					</div>
					{offered('vary') && (
						<div className="action-bar__group">
							<span className="action-bar__label">Vary</span>
							{(['subtle', 'strong'] as const).map((strength) => {
								const request = {
									op: 'vary',
									parentImageId: imageId,
									params: { strength },
								} as const
								const key =
									strength === 'subtle' ? SHORTCUT_LABELS.varySubtle : SHORTCUT_LABELS.varyStrong
								return (
									<button
										key={strength}
										type="button"
										className="action-bar__button"
										data-testid={`action-vary-${strength}`}
										aria-label={`Vary ${strength}`}
										{...act(`Vary (${strength})`, key, request)}
									>
										{strength === 'subtle' ? 'Subtle' : 'Strong'}
									</button>
								)
							})}
						</div>
					)}
					{offered('remix') && (
						<div className="action-bar__group">
							<button
								type="button"
								className="action-bar__button"
								data-testid="action-remix"
								aria-haspopup="dialog"
								title={`Remix — edit the prompt, keep the layout — ${SHORTCUT_LABELS.remix}`}
								onClick={() => board.remixing.set(true)}
							>
								<span aria-hidden="true">✎</span> Remix
							</button>
						</div>
					)}
					{offered('zoom_out') && (
						<div className="action-bar__group">
							<span className="action-bar__label">Zoom out</span>
							{ZOOM_FACTORS.map((factor) => {
								const request = {
									op: 'zoom_out',
									parentImageId: imageId,
									params: { factor },
								} as const
								const key = factor === 2 ? SHORTCUT_LABELS.zoomOut2 : SHORTCUT_LABELS.zoomOut15
								return (
									<button
										key={factor}
										type="button"
										className="action-bar__button action-bar__button--narrow"
										data-testid={`action-zoom-${factor === 2 ? '2' : '15'}`}
										aria-label={`Zoom out ${factor}×`}
										{...act(`Zoom out ${factor}×`, key, request)}
									>
										{factor}×
									</button>
								)
							})}
						</div>
					)}
					{offered('pan') && (
						<div className="action-bar__group">
							<span className="action-bar__label">Pan</span>
							{PAN_DIRECTIONS.map((direction) => {
								const request = {
									op: 'pan',
									parentImageId: imageId,
									params: { direction },
								} as const
								return (
									<button
										key={direction}
										type="button"
										className="action-bar__button action-bar__button--icon"
										data-testid={`action-pan-${direction}`}
										aria-label={`Pan ${direction}`}
										{...act(`Pan ${direction}`, PAN_KEYS[direction], request)}
									>
										{PAN_ARROWS[direction]}
									</button>
								)
							})}
						</div>
					)}
					{offered('upscale') && (
						<div className="action-bar__group">
							<UpscaleMenu
								editor={editor}
								board={board}
								active={active}
								parent={parent}
								scale={target.scale}
								offers={(params) => offered('upscale', params)}
							/>
						</div>
					)}
				</>
			)}
		</div>
	)
}
