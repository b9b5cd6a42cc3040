import { type TLRecord, toRichText } from '@tldraw/tlschema'
import { getIndicesAbove, type IndexKey } from '@tldraw/utils'
import { newId } from '../server/ids'
import {
	BOARD_PAGE_ID,
	buildArrow,
	buildGenerationShape,
	buildPromptCard,
	jobShapeIds,
} from '../shared/records'

// The board and the edits of the doc-health benchmark: a 4,000-shape Arbor board (jobs with their
// prompt card and arrow, notes, geo shapes) and a person's edits to it, seeded so every run makes
// the same ones.

/** A small seeded PRNG (mulberry32): the same edits on every run. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0
	return () => {
		a = (a + 0x6d2b79f5) >>> 0
		let t = a
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
}

const words = 'harbour dawn fishing boats mist gulls lighthouse rope nets tide copper sky'.split(
	' ',
)

function phrase(random: () => number, length: number): string {
	return Array.from({ length }, () => words[Math.floor(random() * words.length)]).join(' ')
}

let indexPool: IndexKey[] = []
function nextIndex(): IndexKey {
	if (indexPool.length === 0) indexPool = getIndicesAbove(null, 20_000).reverse()
	return indexPool.pop() as IndexKey
}

/** A finished job's three shapes (node, prompt card, arrow) and the arrow's two bindings. */
export function jobRecords(random: () => number, at: { x: number; y: number }): TLRecord[] {
	const jobId = newId('job')
	const prompt = phrase(random, 8 + Math.floor(random() * 12))
	const node = buildGenerationShape({
		jobId,
		op: 'imagine',
		label: 'Imagine',
		prompt,
		aspect: 1,
		status: 'done',
		x: at.x + 360,
		y: at.y,
		index: nextIndex(),
	})
	node.props.candidates = [0, 1, 2, 3].map(() => ({
		imageId: newId('image'),
		width: 1024,
		height: 1024,
	}))
	const card = buildPromptCard({
		jobId,
		prompt,
		aspectRatio: '1:1',
		author: 'Alice',
		x: at.x,
		y: at.y,
		index: nextIndex(),
	})
	const ids = jobShapeIds(jobId)
	const arrow = buildArrow({
		jobId,
		index: nextIndex(),
		from: { shapeId: ids.prompt, anchor: { x: 1, y: 0.5 }, point: { x: at.x + 280, y: at.y + 60 } },
		to: { shapeId: ids.node, anchor: { x: 0, y: 0.5 }, point: { x: at.x + 360, y: at.y + 150 } },
		meta: { lineage: 'prompt' },
	})
	return [card, node, ...arrow] as TLRecord[]
}

/** A sticky note or a rectangle, as people add around the images. */
export function looseShape(random: () => number, at: { x: number; y: number }): TLRecord {
	const base = {
		id: `shape:${newId('job').slice(4)}`,
		typeName: 'shape',
		x: at.x,
		y: at.y,
		rotation: 0,
		index: nextIndex(),
		parentId: BOARD_PAGE_ID,
		isLocked: false,
		opacity: 1,
		meta: {},
	}
	if (random() < 0.5) {
		return {
			...base,
			type: 'note',
			props: {
				color: 'yellow',
				labelColor: 'black',
				size: 'm',
				font: 'draw',
				fontSizeAdjustment: 0,
				align: 'middle',
				verticalAlign: 'middle',
				growY: 0,
				url: '',
				richText: toRichText(phrase(random, 3 + Math.floor(random() * 10))),
				scale: 1,
				textLastEditedBy: null,
			},
		} as TLRecord
	}
	return {
		...base,
		type: 'geo',
		props: {
			geo: 'rectangle',
			w: 200 + Math.floor(random() * 400),
			h: 120 + Math.floor(random() * 300),
			color: 'black',
			labelColor: 'black',
			fill: 'none',
			dash: 'draw',
			size: 'm',
			font: 'draw',
			align: 'middle',
			verticalAlign: 'middle',
			growY: 0,
			url: '',
			scale: 1,
			flipX: false,
			flipY: false,
			richText: toRichText(''),
		},
	} as TLRecord
}

export const isShape = (r: TLRecord) => r.typeName === 'shape'

/**
 * A board of `shapes` shapes: three quarters in jobs (node, card, arrow + 2 bindings each), the
 * rest notes and rectangles, on a grid.
 */
export function buildBoard(random: () => number, shapes: number): TLRecord[] {
	const records: TLRecord[] = []
	let n = 0
	const place = () => {
		const cell = n++
		return { x: (cell % 40) * 900, y: Math.floor(cell / 40) * 500 }
	}
	const jobs = Math.floor((shapes * 0.75) / 3)
	for (let i = 0; i < jobs; i++) records.push(...jobRecords(random, place()))
	for (let i = jobs * 3; i < shapes; i++) records.push(looseShape(random, place()))
	return records
}
