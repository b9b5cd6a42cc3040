import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { candidateRect, generationNodeSize } from '../shared/layout'

// What the board-scale benchmark checks of a view once the camera has stopped: which images are in
// it and loaded, and whether zoomed far out every node really shows its images' pixels.

/**
 * A node's screen box from its shape's page transform and the camera (tldraw's html layer is
 * `scale(z) translate(x, y)`), for nodes whose wrapper is not displayed.
 */
const SCREEN_BOX = `(node) => {
	const canvas = document.querySelector('.tl-canvas').getBoundingClientRect()
	const cam = document.querySelector('.tl-html-layer').style.transform.match(/scale\\(([-\\d.e]+)\\) translate\\(([-\\d.e]+)px, ?([-\\d.e]+)px\\)/)
	const [z, cx, cy] = [Number(cam[1]), Number(cam[2]), Number(cam[3])]
	const shape = node.closest('.tl-shape')
	const [, , , , px, py] = shape.style.transform.match(/matrix\\(([^)]*)\\)/)[1].split(',').map(Number)
	const left = canvas.left + (px + cx) * z
	const top = canvas.top + (py + cy) * z
	const width = parseFloat(shape.style.width) * z
	const height = parseFloat(shape.style.height) * z
	return { left, top, width, height, right: left + width, bottom: top + height }
}`

/**
 * Ids of the images whose nodes intersect the canvas once every one of them is painted; null while
 * some are still loading. A near node's `<img>` must be loaded; a distant node (`data-image-ids`:
 * painted by the overview canvases) counts once the overview has nothing left to load
 * (`data-pending` 0).
 */
export const VIEW_IMAGES_READY = `(() => {
	const screenBox = ${SCREEN_BOX}
	const canvas = document.querySelector('.tl-canvas')?.getBoundingClientRect()
	const inView = (r) => !!canvas && r.width > 0 && r.right > canvas.left && r.bottom > canvas.top && r.left < canvas.right && r.top < canvas.bottom
	const shown = (el) => el.closest('.tl-shape')?.style.display !== 'none'
	const imgs = [...document.querySelectorAll('[data-testid="generation-node"] img')]
		.filter((img) => shown(img) && inView(img.getBoundingClientRect()))
	if (!imgs.every((img) => img.complete && img.naturalWidth > 0)) return null
	const distant = [...document.querySelectorAll('[data-testid="generation-node"][data-image-ids]')]
		.filter((n) => shown(n) && inView(screenBox(n)))
	if (distant.length > 0 && document.querySelector('[data-testid="distant-overview"]')?.dataset.pending !== '0') return null
	const ids = [
		...imgs.map((img) => img.closest('[data-image-id]').dataset.imageId),
		...distant.flatMap((n) => n.dataset.imageIds.split(' ')),
	]
	return ids.length === 0 ? null : ids
})()`

/** Screen boxes of the distant nodes wholly inside the canvas. */
const DISTANT_BOXES = `(() => {
	const screenBox = ${SCREEN_BOX}
	const canvas = document.querySelector('.tl-canvas').getBoundingClientRect()
	return [...document.querySelectorAll('[data-testid="generation-node"][data-image-ids]')]
		.filter((n) => n.closest('.tl-shape').style.display !== 'none')
		.map(screenBox)
		.filter((r) => r.width > 0 && r.left >= canvas.left && r.top >= canvas.top && r.right <= canvas.right && r.bottom <= canvas.bottom)
		.map((r) => ({ x: r.left, y: r.top, w: r.width, h: r.height }))
})()`

/** Colours a cell shows without its image: placeholders, the card and its edge, the canvas. */
const NOT_IMAGE: [number, number, number][] = [
	[0xec, 0xe9, 0xe1],
	[0x2f, 0x2c, 0x27],
	[0xff, 0xff, 0xff],
	[0xdc, 0xda, 0xd6],
	[0xf3, 0xf1, 0xec],
]

/**
 * Samples a screenshot at the centre of every cell of every distant grid node wholly in view: how
 * many nodes show image pixels in all four cells.
 */
export async function distantPixels(page: Page): Promise<{ nodes: number; showing: number }> {
	const boxes = (await page.evaluate(DISTANT_BOXES)) as {
		x: number
		y: number
		w: number
		h: number
	}[]
	// ARBOR_BENCH_SHOT=path keeps the sampled screenshot, to look at.
	const shot = await page.screenshot(
		process.env.ARBOR_BENCH_SHOT ? { path: process.env.ARBOR_BENCH_SHOT } : {},
	)
	const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true })
	const scale = info.width / (page.viewportSize()?.width ?? info.width)
	let showing = 0
	for (const box of boxes) {
		// The seeded board's nodes are all 1:1 grids: cells in page units, scaled to the screen box.
		const node = generationNodeSize(1)
		const z = box.w / node.w
		const cells = [0, 1, 2, 3].map((i) => candidateRect(i, node, 4))
		// A cell shows its image if any pixel of a 3 × 3 block at its centre has a colour no
		// placeholder, card or canvas has (one pixel alone can be a pale sky).
		const isImage = cells.every((cell) => {
			const cx = Math.round((box.x + (cell.x + cell.w / 2) * z) * scale)
			const cy = Math.round((box.y + (cell.y + cell.h / 2) * z) * scale)
			for (let dy = -1; dy <= 1; dy++)
				for (let dx = -1; dx <= 1; dx++) {
					const at = ((cy + dy) * info.width + cx + dx) * info.channels
					const px = [data[at], data[at + 1], data[at + 2]]
					if (NOT_IMAGE.every((c) => Math.hypot(c[0] - px[0], c[1] - px[1], c[2] - px[2]) > 12))
						return true
				}
			return false
		})
		if (isImage) showing++
	}
	return { nodes: boxes.length, showing }
}
