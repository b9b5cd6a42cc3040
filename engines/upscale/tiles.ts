/**
 * How a large image is cut for the neural upscaler: a grid of core tiles that cover the image
 * exactly once, each read with `pad` extra pixels of context on every side (clamped to the
 * image). With `pad` at least the network's receptive radius, stitching the tiles' cores gives
 * the same pixels as upscaling the whole image at once, in bounded memory.
 */
export interface Tile {
	/** Core region, in input pixels: what this tile contributes to the output. */
	x: number
	y: number
	width: number
	height: number
	/** Region actually fed to the network: the core plus context, clamped to the image. */
	inX: number
	inY: number
	inWidth: number
	inHeight: number
}

function cuts(length: number, target: number): number[] {
	const n = Math.max(1, Math.ceil(length / target))
	return Array.from({ length: n + 1 }, (_, i) => Math.round((i * length) / n))
}

/** Tiles row by row, cores about `core` pixels on a side (evenly split, never larger). */
export function planTiles(width: number, height: number, core: number, pad: number): Tile[] {
	const xs = cuts(width, core)
	const ys = cuts(height, core)
	const tiles: Tile[] = []
	for (let j = 0; j + 1 < ys.length; j++) {
		for (let i = 0; i + 1 < xs.length; i++) {
			const inX = Math.max(0, xs[i] - pad)
			const inY = Math.max(0, ys[j] - pad)
			tiles.push({
				x: xs[i],
				y: ys[j],
				width: xs[i + 1] - xs[i],
				height: ys[j + 1] - ys[j],
				inX,
				inY,
				inWidth: Math.min(width, xs[i + 1] + pad) - inX,
				inHeight: Math.min(height, ys[j + 1] + pad) - inY,
			})
		}
	}
	return tiles
}
