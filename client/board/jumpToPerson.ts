import { createUserId } from '@tldraw/tlschema'
import { Box, type Editor } from 'tldraw'
import { framingInsets, type Insets, safeArea } from './insets'
import { READABLE_ZOOM } from './reveal'

type Camera = { x: number; y: number; z: number }

/** What a collaborator's presence tells about where they are. */
export interface Whereabouts {
	camera: Camera | null
	screenBounds: { w: number; h: number } | null
	cursor: { x: number; y: number } | null
}

/**
 * The camera that shows what the person sees: their viewport fitted into our safe area (so our
 * UI hides none of it), or, without a viewport, their cursor in the middle at a readable zoom.
 * Null when their presence says neither.
 */
export function jumpCamera(
	them: Whereabouts,
	screen: { w: number; h: number },
	insets: Insets,
	zoomNow: number,
	zoomLimits: { min: number; max: number },
): Camera | null {
	const safe = safeArea(screen, insets)
	let center: { x: number; y: number }
	let zoom: number
	if (them.camera && them.screenBounds && them.screenBounds.w > 0 && them.screenBounds.h > 0) {
		const { x, y, z } = them.camera
		const view = new Box(-x, -y, them.screenBounds.w / z, them.screenBounds.h / z)
		center = view.center
		zoom = Math.min(safe.w / view.w, safe.h / view.h)
	} else if (them.cursor) {
		center = them.cursor
		zoom = Math.max(zoomNow, READABLE_ZOOM)
	} else return null
	const z = Math.min(zoomLimits.max, Math.max(zoomLimits.min, zoom))
	const cx = safe.x + safe.w / 2
	const cy = safe.y + safe.h / 2
	return { x: -center.x + cx / z, y: -center.y + cy / z, z }
}

/**
 * Takes this person to where `personId` is (their viewport, else their cursor), once: it does not
 * follow them — following is what Present offers. False when they show no position.
 */
export function jumpToPerson(editor: Editor, personId: string): boolean {
	const userId = createUserId(personId)
	const presence = editor
		.getCollaborators()
		.filter((c) => c.userId === userId)
		.sort((a, b) => (b.lastActivityTimestamp ?? 0) - (a.lastActivityTimestamp ?? 0))[0]
	if (!presence) return false
	const camera = jumpCamera(
		presence,
		editor.getViewportScreenBounds(),
		framingInsets(editor),
		editor.getZoomLevel(),
		{
			min: editor.getCameraOptions().zoomSteps[0] ?? 0.05,
			max: editor.getCameraOptions().zoomSteps.at(-1) ?? 8,
		},
	)
	if (!camera) return false
	if (editor.getInstanceState().followingUserId) editor.stopFollowingUser()
	editor.setCamera(camera, { animation: { duration: 320 } })
	return true
}
