import type { TLArrowBinding, TLArrowShape, TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { boxesOverlap } from '../../shared/layout'
import type { GenerationShape } from '../../shared/shapes/generationShape'
import { InvalidRecordError } from './boardDocs'
import {
	buildProjectionRecords,
	PROJECTION_COLUMN,
	type ProjectionImage,
	projectionShapeIds,
	validateProjectionRecords,
} from './projectionRecords'

function image(id: string, op = 'vary', extra: Partial<ProjectionImage> = {}): ProjectionImage {
	return {
		imageId: `img_${id}`,
		jobId: `job_${id}`,
		op,
		params: op === 'vary' ? { strength: 'strong' } : op === 'upscale' ? { factor: 2 } : {},
		prompt: 'a secret lighthouse',
		width: 512,
		height: 512,
		...extra,
	}
}

const root = image('root', 'imagine')
const varied = image('vary1')
const final = image('final1', 'upscale', { width: 1024, height: 1024 })
const sibling = image('vary2', 'vary', { width: 512, height: 768 })

const nodeOf = (records: TLRecord[], imageId: string) =>
	records.find((r) => r.id === projectionShapeIds(imageId).node) as GenerationShape | undefined
const nodes = (records: TLRecord[]) =>
	records.filter(
		(r): r is GenerationShape => r.typeName === 'shape' && r.type === 'arbor-generation',
	)

describe('buildProjectionRecords', () => {
	it('draws one single-cell node per image, the published one framed as a final', () => {
		const records = buildProjectionRecords({ paths: [[root, varied, final]], showPrompts: false })
		expect(nodes(records)).toHaveLength(3)
		const pick = nodeOf(records, final.imageId)!
		expect(pick.props).toMatchObject({
			kind: 'final',
			slots: 1,
			status: 'done',
			label: 'Upscale 2× · subtle',
			prompt: '',
			jobId: final.jobId,
			candidates: [{ imageId: final.imageId, width: 1024, height: 1024 }],
			committed: [],
		})
		expect(nodeOf(records, root.imageId)!.props).toMatchObject({ kind: 'grid', label: 'Imagine' })
		// The image an upscale (a commit op) was made of reads as committed, as on the board.
		expect(nodeOf(records, varied.imageId)!.props.committed).toEqual([varied.imageId])
		expect(nodeOf(records, root.imageId)!.props.committed).toEqual([])
		expect(JSON.stringify(records)).not.toContain('secret lighthouse')
	})

	it('writes prompts only when the owner shows them', () => {
		const records = buildProjectionRecords({ paths: [[root, varied]], showPrompts: true })
		expect(nodeOf(records, varied.imageId)!.props.prompt).toBe('a secret lighthouse')
	})

	it('joins each image to its parent with an arrow bound at both ends', () => {
		const records = buildProjectionRecords({ paths: [[root, varied, final]], showPrompts: false })
		const ids = projectionShapeIds(final.imageId)
		const arrow = records.find((r) => r.id === ids.arrow) as TLArrowShape
		const start = records.find((r) => r.id === ids.arrowStart) as TLArrowBinding
		const end = records.find((r) => r.id === ids.arrowEnd) as TLArrowBinding
		expect(start).toMatchObject({
			fromId: ids.arrow,
			toId: projectionShapeIds(varied.imageId).node,
		})
		expect(end).toMatchObject({ fromId: ids.arrow, toId: ids.node })
		expect(start.props.terminal).toBe('start')
		expect(end.props.terminal).toBe('end')
		expect(arrow.meta).toEqual({ parentImageId: varied.imageId })
		// The root has no parent: no arrow comes into it.
		expect(records.find((r) => r.id === projectionShapeIds(root.imageId).arrow)).toBeUndefined()
		expect(records.filter((r) => r.typeName === 'binding')).toHaveLength(4)
		// Arrows sit above every node they could bind.
		const top = nodes(records)
			.map((n) => n.index)
			.sort()
			.at(-1)!
		for (const a of records.filter((r) => r.typeName === 'shape' && r.type === 'arrow'))
			expect((a as TLArrowShape).index > top).toBe(true)
	})

	it('lays out one row per published image, root at the left, shared ancestors once', () => {
		const otherFinal = image('final2', 'upscale', { width: 512, height: 768 })
		const records = buildProjectionRecords({
			paths: [
				[root, varied, final],
				[root, sibling, otherFinal],
			],
			showPrompts: false,
		})
		expect(nodes(records)).toHaveLength(5)
		const at = (i: ProjectionImage) => nodeOf(records, i.imageId)!
		expect(at(root).x).toBe(0)
		expect(at(varied).x).toBe(PROJECTION_COLUMN)
		expect(at(final).x).toBe(2 * PROJECTION_COLUMN)
		expect(at(sibling).x).toBe(PROJECTION_COLUMN)
		expect(at(sibling).y).toBeGreaterThan(at(varied).y + at(varied).props.h)
		expect(at(otherFinal).y).toBe(at(sibling).y)
		const boxes = nodes(records).map((n) => ({ x: n.x, y: n.y, w: n.props.w, h: n.props.h }))
		for (const [i, a] of boxes.entries())
			for (const b of boxes.slice(i + 1)) expect(boxesOverlap(a, b)).toBe(false)
	})

	it('takes no row for a published image already placed as an ancestor', () => {
		const records = buildProjectionRecords({
			paths: [
				[root, varied, final],
				[root, varied],
				[root, sibling],
			],
			showPrompts: false,
		})
		expect(nodeOf(records, varied.imageId)!.props.kind).toBe('final')
		// The third path's new node goes right under the first row, not two rows down.
		const firstRowH = Math.max(
			...[root, varied, final].map((i) => nodeOf(records, i.imageId)!.props.h),
		)
		expect(nodeOf(records, sibling.imageId)!.y).toBeLessThan(2 * firstRowH)
	})

	it('is deterministic: the same input gives the same records, ids derived from image ids', () => {
		const input = { paths: [[root, varied, final]], showPrompts: false }
		expect(buildProjectionRecords(input)).toEqual(buildProjectionRecords(input))
		expect(projectionShapeIds('img_x').node).toBe('shape:image-img_x')
	})

	it('holds only the page when nothing is published', () => {
		const records = buildProjectionRecords({ paths: [], showPrompts: false })
		expect(records.map((r) => r.typeName).sort()).toEqual(['document', 'page'])
	})
})

describe('validateProjectionRecords', () => {
	it('accepts everything the builder makes', () => {
		const records = buildProjectionRecords({
			paths: [
				[root, varied, final],
				[root, sibling],
			],
			showPrompts: true,
		})
		expect(validateProjectionRecords(records)).toHaveLength(records.length)
	})

	it('refuses a record with a bad prop, an unknown type or session scope', () => {
		const [node] = nodes(buildProjectionRecords({ paths: [[root]], showPrompts: false }))
		const bad = { ...node, props: { ...node.props, status: 'exploded' } } as unknown as TLRecord
		expect(() => validateProjectionRecords([bad])).toThrow(InvalidRecordError)
		const unknown = { id: 'thing:1', typeName: 'thing' } as unknown as TLRecord
		expect(() => validateProjectionRecords([unknown])).toThrow(/unknown record type/)
		const camera = { id: 'camera:1', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} }
		expect(() => validateProjectionRecords([camera as unknown as TLRecord])).toThrow(
			/not a document record/,
		)
	})
})
