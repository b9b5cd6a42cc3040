import type { TLRecord } from '@tldraw/tlschema'
import { getIndicesAbove } from '@tldraw/utils'
import { images, jobs } from '../server/db/schema'
import { newId } from '../server/ids'
import type { RunningServer } from '../server/server'
import { generationNodeSize } from '../shared/layout'
import { DRAFT_EDGE } from '../shared/ops/params'
import { buildGenerationShape } from '../shared/records'
import { pregeneratedGrids } from './benchKit'

/** Canvas units between neighbouring nodes of the seeded grid (room for arrows on a real board). */
const GAP = 80
/** Shapes per `writeRecords` call: the size of a busy afternoon's burst, not one giant write. */
const WRITE_BATCH = 250

export interface SeededBoard {
	/** Bytes of each image's full-size PNG as stored, by image id (the denominator of the bytes ratio). */
	fullBytes: Map<string, number>
	/** Distinct PNGs behind the images (each image still has its own URL, so its own fetch). */
	distinctPngs: number
	node: { w: number; h: number }
	columns: number
	rows: number
}

/**
 * Fills a board with `nodes` finished 4-candidate `imagine` nodes, stored the way a finished job
 * is (`AssetStore.putPng` → full PNG + WebP thumbnail, one `jobs` row done, one `images` row per
 * candidate, the node written through `BoardDocs.writeRecords`), laid out on a near-square grid.
 *
 * Generating 8,000 images would take minutes, so a handful of real builtin PNGs are stored once and
 * shared by content address: every image row still has its own id and so its own URL, and the
 * browser fetches and decodes each thumbnail separately, exactly as on a real board.
 */
export async function seedLargeBoard(
	server: RunningServer,
	options: { boardId: string; userId: string; nodes: number },
): Promise<SeededBoard> {
	const { ctx } = server
	const { boardId, userId, nodes } = options
	const pngs = (await pregeneratedGrids(2)).flat()
	const stored = await Promise.all(
		pngs.map(async (png) => ({ sha256: await ctx.assets.putPng(png), bytes: png.byteLength })),
	)

	const node = generationNodeSize(1)
	const columns = Math.ceil(Math.sqrt(nodes * 1.25))
	const rows = Math.ceil(nodes / columns)
	const indices = getIndicesAbove(null, nodes)
	const fullBytes = new Map<string, number>()
	const shapes: TLRecord[] = []
	const now = Date.now()

	// One synchronous transaction (drizzle + better-sqlite3): 10,000 rows in well under a second.
	ctx.db.transaction((tx) => {
		for (let i = 0; i < nodes; i++) {
			const jobId = newId('job')
			const prompt = `harbour at dawn, study ${i}`
			const seeds = [4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]
			tx.insert(jobs)
				.values({
					id: jobId,
					boardId,
					op: 'imagine',
					opVersion: 1,
					status: 'done',
					prompt,
					params: { aspectRatio: '1:1', chaos: 0, stylize: 100 },
					seeds,
					width: DRAFT_EDGE,
					height: DRAFT_EDGE,
					cost: 0,
					createdBy: userId,
					startedAt: now,
					finishedAt: now,
				})
				.run()
			const candidates = seeds.map((seed, index) => {
				const asset = stored[(i * 4 + index) % stored.length]
				const imageId = newId('image')
				tx.insert(images)
					.values({
						id: imageId,
						boardId,
						jobId,
						index,
						seed,
						width: DRAFT_EDGE,
						height: DRAFT_EDGE,
						sha256: asset.sha256,
						backend: 'builtin',
						model: 'bench',
						version: '1',
					})
					.run()
				fullBytes.set(imageId, asset.bytes)
				return { imageId, width: DRAFT_EDGE, height: DRAFT_EDGE }
			})
			const shape = buildGenerationShape({
				jobId,
				x: (i % columns) * (node.w + GAP),
				y: Math.floor(i / columns) * (node.h + GAP),
				index: indices[i],
				op: 'imagine',
				label: 'Imagine',
				prompt,
				aspect: 1,
				status: 'done',
			})
			shape.props.candidates = candidates
			shapes.push(shape)
		}
	})
	for (let i = 0; i < shapes.length; i += WRITE_BATCH)
		ctx.boards.writeRecords(boardId, shapes.slice(i, i + WRITE_BATCH))
	return { fullBytes, distinctPngs: stored.length, node, columns, rows }
}
