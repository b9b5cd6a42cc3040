import { Box } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { generationNodeSize } from '../../shared/layout'
import { fitZoom, READABLE_ZOOM, revealCamera } from './reveal'

const screen = { w: 1280, h: 800 }
const node = generationNodeSize(1)

describe('revealCamera', () => {
	it('shows a new result beside a big tree at a readable zoom instead of zooming out to all', () => {
		// The tree the camera zoomed out to hold after each op (100 % → 65 → 43 → … → 9 %).
		const tree = new Box(0, 0, 8000, 6000)
		const result = new Box(7000, 3000, node.w, node.h)
		const camera = revealCamera(screen, 0.65, [result, tree])!
		expect(camera.z).toBeGreaterThanOrEqual(READABLE_ZOOM)
		// The result sits in the middle of what is on screen.
		const centreX = -camera.x + screen.w / 2 / camera.z
		expect(Math.abs(centreX - result.center.x)).toBeLessThan(screen.w / camera.z / 2)
	})

	it('frames the result with its parent when both read at once, keeping the zoom', () => {
		const parent = new Box(0, 0, node.w, node.h)
		const result = new Box(node.w + 140, 0, node.w, node.h)
		const camera = revealCamera(screen, 1, [result, parent])!
		expect(camera.z).toBeCloseTo(Math.min(1, fitZoom(screen, Box.Common([parent, result]))))
		expect(camera.z).toBeGreaterThanOrEqual(READABLE_ZOOM)
	})

	it('comes in to a readable zoom from far out, but no further', () => {
		const result = new Box(0, 0, node.w, node.h)
		expect(revealCamera(screen, 0.09, [result])!.z).toBe(READABLE_ZOOM)
		expect(revealCamera(screen, 1.5, [result])!.z).toBeCloseTo(
			Math.min(1.5, fitZoom(screen, result)),
		)
	})

	it('keeps the result clear of the prompt bar at the bottom', () => {
		const result = new Box(0, 0, node.w, node.h)
		const camera = revealCamera(screen, 1, [result])!
		const bottomOnScreen = (result.maxY + camera.y) * camera.z
		expect(bottomOnScreen).toBeLessThan(screen.h - 190)
	})
})
