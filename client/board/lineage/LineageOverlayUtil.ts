import { OverlayUtil, strokeShapeIndicators, type TLOverlay, type TLShapeId } from 'tldraw'
import { selectedLineage } from './canvasLineage'

type LineageOverlay = TLOverlay<{ ids: TLShapeId[] }>

/** Arbor's accent (`--accent` in styles.css): canvas overlays can't read CSS variables. */
const ACCENT = '36 92 74'

/**
 * Draws the selected node's ancestor path — every ancestor node, the root prompt card and the
 * arrows between them — as a soft accent halo over the canvas. Purely a view: nothing is written
 * to the doc, so each person sees the path of their own selection.
 */
export class LineageOverlayUtil extends OverlayUtil<LineageOverlay> {
	static override type = 'arbor_lineage'
	// Under tldraw's selection indicators (50), so the selected node keeps its usual outline.
	override options = { zIndex: 40 }

	isActive() {
		return selectedLineage(this.editor).get().arrows.length > 0
	}

	getOverlays(): LineageOverlay[] {
		const { shapes, arrows } = selectedLineage(this.editor).get()
		// The selected node (shapes[0]) already has the selection outline.
		const ids = [...shapes.slice(1), ...arrows]
		return [{ id: 'arbor_lineage', type: 'arbor_lineage', props: { ids } }]
	}

	render(ctx: CanvasRenderingContext2D, overlays: LineageOverlay[]) {
		const overlay = overlays[0]
		if (!overlay) return
		const zoom = this.editor.getZoomLevel()
		ctx.save()
		ctx.lineCap = 'round'
		ctx.lineJoin = 'round'
		ctx.strokeStyle = `rgb(${ACCENT} / 0.16)`
		ctx.lineWidth = 10 / zoom
		strokeShapeIndicators(this.editor, ctx, overlay.props.ids)
		ctx.strokeStyle = `rgb(${ACCENT} / 0.9)`
		ctx.lineWidth = 2 / zoom
		strokeShapeIndicators(this.editor, ctx, overlay.props.ids)
		ctx.restore()
	}
}
