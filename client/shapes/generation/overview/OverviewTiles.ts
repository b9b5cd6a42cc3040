import type { Box } from '../../../../shared/layout'
import {
	boxInTile,
	cellBoxes,
	type OverviewNode,
	TILE_PX,
	tileKeys,
	tilesOf,
	wantedImages,
} from './overviewGeometry'

/** Thumbnails fetched at once (the browser's six connections per host, and a few queued). */
const CONCURRENT_LOADS = 8

export interface OverviewColors {
	/** The card's hairline edge. */
	edge: string
	card: string
	cell: string
	finalCell: string
}

interface Tile {
	canvas: HTMLCanvasElement
	ctx: CanvasRenderingContext2D
	tx: number
	ty: number
	/** Nodes touching this tile, in drawing (page) order. */
	nodes: OverviewNode[]
}

/**
 * The pixels of every distant node on one set of canvases laid over the page (tiles of `TILE_PX`),
 * instead of four `<img>` per node: zoomed out over thousands of nodes, Chromium re-rasters and
 * re-decodes every `<img>` on each frame of a pan (a 2,000-node board panned at ~2 fps at fit-all);
 * a few canvases cost about what an empty board does.
 *
 * Each finished node is drawn as its card with flat cells at once; each cell's smallest thumbnail
 * is fetched only when its node is in or near the view (`wantedImages`), shrunk to the cell's
 * size in overview pixels (kept: 8,000 of them take ~18 MB at the default scale) and painted in.
 */
export class OverviewTiles {
	private readonly tiles = new Map<string, Tile>()
	private readonly nodes = new Map<string, OverviewNode>()
	/** Images not yet painted nor given up on, of the nodes drawn. */
	private unresolved = 0
	/** Image id → the node showing it. */
	private readonly owners = new Map<string, OverviewNode>()
	private readonly loading = new Set<string>()
	/** Thumbnails that failed to load: not asked for again by this overview. */
	private readonly failed = new Set<string>()
	private queue: string[] = []
	private viewport: Box | null = null
	private disposed = false
	private readonly dirty = new Set<string>()
	private frame = 0

	constructor(
		private readonly root: HTMLElement,
		/** Canvas pixels per page unit of this level of detail. */
		private readonly scale: number,
		/**
		 * Shrunk thumbnails by image id, shared by every level (zooming between levels redraws from
		 * it, fetching nothing); each at `bitmapScale`, the finest level.
		 */
		private readonly bitmaps: Map<string, ImageBitmap>,
		/** Fetches under way, shared the same way (not asked for twice). */
		private readonly inflight: Map<string, Promise<void>>,
		private readonly bitmapScale: number,
		private readonly imageUrl: (imageId: string) => string,
		private readonly colors: OverviewColors,
	) {}

	/** Replaces the set of nodes drawn; only tiles touched by a node that changed are redrawn. */
	setNodes(next: OverviewNode[]): void {
		const seen = new Set<string>()
		for (const node of next) {
			seen.add(node.id)
			const before = this.nodes.get(node.id)
			if (before && sameNode(before, node)) continue
			if (before) this.markDirty(before)
			this.nodes.set(node.id, node)
			for (const id of node.imageIds) this.owners.set(id, node)
			this.markDirty(node)
		}
		for (const [id, node] of this.nodes) {
			if (seen.has(id)) continue
			this.nodes.delete(id)
			for (const imageId of node.imageIds) this.owners.delete(imageId)
			this.markDirty(node)
		}
		this.rebuildTileIndex()
		this.recount()
		this.requestWanted()
	}

	/** Counts the images still to paint (another level's overview may have fetched some). */
	private recount() {
		this.unresolved = 0
		for (const id of this.owners.keys())
			if (!this.bitmaps.has(id) && !this.failed.has(id)) this.unresolved++
	}

	/** The page's visible box changed: load what is now in or near it. */
	setViewport(viewport: Box): void {
		this.viewport = viewport
		this.requestWanted()
	}

	/** Images wanted for the view and not yet painted; 0 once the view is complete. */
	get pending(): number {
		return this.queue.length + this.loading.size
	}

	get painted(): number {
		return this.owners.size - this.unresolved
	}

	dispose(): void {
		this.disposed = true
		cancelAnimationFrame(this.frame)
		for (const tile of this.tiles.values()) tile.canvas.remove()
		this.tiles.clear()
	}

	private markDirty(node: OverviewNode) {
		for (const [key] of tileKeys(tilesOf(node, this.scale))) this.dirty.add(key)
		if (!this.frame) this.frame = requestAnimationFrame(() => this.redrawDirty())
	}

	private rebuildTileIndex() {
		for (const tile of this.tiles.values()) tile.nodes = []
		for (const node of this.nodes.values())
			for (const [key, tx, ty] of tileKeys(tilesOf(node, this.scale)))
				this.tileAt(key, tx, ty).nodes.push(node)
		for (const [key, tile] of this.tiles) {
			if (tile.nodes.length > 0) continue
			tile.canvas.remove()
			this.tiles.delete(key)
			this.dirty.delete(key)
		}
	}

	private tileAt(key: string, tx: number, ty: number): Tile {
		const known = this.tiles.get(key)
		if (known) return known
		const canvas = document.createElement('canvas')
		canvas.width = TILE_PX
		canvas.height = TILE_PX
		const edge = TILE_PX / this.scale
		Object.assign(canvas.style, {
			position: 'absolute',
			left: `${tx * edge}px`,
			top: `${ty * edge}px`,
			width: `${edge}px`,
			height: `${edge}px`,
		})
		this.root.append(canvas)
		const ctx = canvas.getContext('2d', { alpha: true })
		if (!ctx) throw new Error('2D canvas unavailable')
		const tile = { canvas, ctx, tx, ty, nodes: [] }
		this.tiles.set(key, tile)
		return tile
	}

	private redrawDirty() {
		this.frame = 0
		for (const key of this.dirty) {
			const tile = this.tiles.get(key)
			if (tile) this.drawTile(tile)
		}
		this.dirty.clear()
	}

	private drawTile(tile: Tile) {
		const { ctx, tx, ty } = tile
		ctx.clearRect(0, 0, TILE_PX, TILE_PX)
		for (const node of tile.nodes) {
			const card = boxInTile(node, this.scale, tx, ty)
			ctx.fillStyle = this.colors.edge
			ctx.fillRect(card.x, card.y, card.w, card.h)
			ctx.fillStyle = this.colors.card
			ctx.fillRect(card.x + 1, card.y + 1, card.w - 2, card.h - 2)
			const cells = cellBoxes(node)
			for (let index = 0; index < cells.length; index++)
				this.drawCell(tile, node, index, cells[index])
		}
	}

	private drawCell(tile: Tile, node: OverviewNode, index: number, cell: Box) {
		const r = boxInTile(cell, this.scale, tile.tx, tile.ty)
		const bitmap = this.bitmaps.get(node.imageIds[index])
		if (bitmap) tile.ctx.drawImage(bitmap, r.x, r.y, r.w, r.h)
		else {
			tile.ctx.fillStyle = node.final ? this.colors.finalCell : this.colors.cell
			tile.ctx.fillRect(r.x, r.y, r.w, r.h)
		}
	}

	/** Paints one freshly loaded image into the tiles its cell touches. */
	private paintImage(imageId: string) {
		const node = this.owners.get(imageId)
		if (!node || this.nodes.get(node.id) !== node) return
		const index = node.imageIds.indexOf(imageId)
		const cell = cellBoxes(node)[index]
		if (!cell) return
		for (const [key] of tileKeys(tilesOf(cell, this.scale))) {
			const tile = this.tiles.get(key)
			// A node overlapping another: redraw the tile in order rather than paint over it.
			if (tile && tile.nodes.length > 1 && overlapsOther(node, tile.nodes)) this.dirty.add(key)
			else if (tile) this.drawCell(tile, node, index, cell)
		}
		if (this.dirty.size > 0 && !this.frame)
			this.frame = requestAnimationFrame(() => this.redrawDirty())
	}

	private requestWanted() {
		if (!this.viewport) return
		// Every image already painted (or given up on): a pan has nothing to ask for.
		if (this.queue.length === 0 && this.loading.size === 0 && this.unresolved > 0) this.recount()
		if (this.queue.length === 0 && this.unresolved === 0) return
		const wanted = wantedImages(this.nodes.values(), this.viewport)
		// Drop queued images that left the view; the nearest come first.
		this.queue = wanted.filter(
			(id) => !this.bitmaps.has(id) && !this.loading.has(id) && !this.failed.has(id),
		)
		this.pump()
		this.showProgress()
	}

	/** For tests and the benchmark: what is left to load for the view, and what is painted. */
	private showProgress() {
		const pending = String(this.pending)
		if (this.root.dataset.pending !== pending) this.root.dataset.pending = pending
		this.root.dataset.painted = String(this.painted)
	}

	private pump() {
		while (this.loading.size < CONCURRENT_LOADS && this.queue.length > 0) {
			const imageId = this.queue.shift() as string
			this.loading.add(imageId)
			void this.load(imageId).finally(() => {
				this.loading.delete(imageId)
				if (this.disposed) return
				this.pump()
				this.showProgress()
			})
		}
	}

	private async load(imageId: string) {
		// Another level's overview may have fetched it, or be fetching it (a zoom across levels).
		if (!this.bitmaps.has(imageId)) {
			const node = this.owners.get(imageId)
			const cell = node && cellBoxes(node)[node.imageIds.indexOf(imageId)]
			if (!cell) return
			let fetching = this.inflight.get(imageId)
			if (!fetching) {
				fetching = this.fetchBitmap(imageId, cell).finally(() => this.inflight.delete(imageId))
				this.inflight.set(imageId, fetching)
			}
			await fetching
			// A missing or broken thumbnail stays a flat cell, as the full node shows it.
			if (!this.bitmaps.has(imageId)) this.failed.add(imageId)
		}
		if (this.owners.has(imageId)) this.unresolved--
		if (!this.disposed && this.bitmaps.has(imageId)) this.paintImage(imageId)
	}

	/**
	 * Fetched and shrunk as a blob, not through an `<img>`: 8,000 decoded 128 px images held in the
	 * page's image cache (~0.5 GB) slowed every later pan of the board.
	 */
	private async fetchBitmap(imageId: string, cell: Box) {
		try {
			const response = await fetch(this.imageUrl(imageId))
			if (!response.ok) return
			const bitmap = await createImageBitmap(await response.blob(), {
				resizeWidth: Math.max(1, Math.ceil(cell.w * this.bitmapScale)),
				resizeHeight: Math.max(1, Math.ceil(cell.h * this.bitmapScale)),
				resizeQuality: 'medium',
			})
			this.bitmaps.set(imageId, bitmap)
		} catch {
			// Left out of the cache: the caller records it as failed.
		}
	}
}

function sameNode(a: OverviewNode, b: OverviewNode): boolean {
	return (
		a.x === b.x &&
		a.y === b.y &&
		a.w === b.w &&
		a.h === b.h &&
		a.slots === b.slots &&
		a.final === b.final &&
		a.imageIds.length === b.imageIds.length &&
		a.imageIds.every((id, i) => id === b.imageIds[i])
	)
}

function overlapsOther(node: OverviewNode, others: OverviewNode[]): boolean {
	return others.some(
		(o) =>
			o !== node &&
			o.x < node.x + node.w &&
			node.x < o.x + o.w &&
			o.y < node.y + node.h &&
			node.y < o.y + o.h,
	)
}
