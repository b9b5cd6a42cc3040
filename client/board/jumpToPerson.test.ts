import { describe, expect, it } from 'vitest'
import { jumpCamera } from './jumpToPerson'

const screen = { w: 1200, h: 800 }
const insets = { top: 50, right: 20, bottom: 200, left: 20 }
const limits = { min: 0.05, max: 8 }

describe('jumpCamera', () => {
	it('shows what the other person sees, centred in the area our UI leaves clear', () => {
		const them = {
			camera: { x: -5000, y: -3000, z: 1 },
			screenBounds: { w: 1160, h: 550 },
			cursor: null,
		}
		const camera = jumpCamera(them, screen, insets, 0.3, limits)!
		expect(camera.z).toBeCloseTo(1)
		// Their top-left corner lands on our safe area's top-left.
		expect((5000 + camera.x) * camera.z).toBeCloseTo(insets.left)
		expect((3000 + camera.y) * camera.z).toBeCloseTo(insets.top)
	})

	it('centres their cursor at a readable zoom when they share no viewport', () => {
		const camera = jumpCamera(
			{ camera: null, screenBounds: null, cursor: { x: 100, y: 200 } },
			screen,
			insets,
			0.1,
			limits,
		)!
		expect(camera.z).toBe(0.5)
		expect((100 + camera.x) * camera.z).toBeCloseTo(20 + 1160 / 2)
	})

	it('has nowhere to go without a viewport or a cursor', () => {
		expect(
			jumpCamera({ camera: null, screenBounds: null, cursor: null }, screen, insets, 1, limits),
		).toBeNull()
	})
})
