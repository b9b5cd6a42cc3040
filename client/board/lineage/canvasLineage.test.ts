import type { TLShapeId } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { jobShapeIds } from '../../../shared/records'
import { GENERATION_SHAPE } from '../../../shared/shapes/generationShape'
import { PROMPT_SHAPE } from '../../../shared/shapes/promptShape'
import { canvasLineage, type LineageSource } from './canvasLineage'

interface Record {
	type: string
	props: object
	meta: object
}

/** A tiny board: records by id, arrows' start bindings by arrow id. */
function board(records: Map<string, Record>, starts: Map<string, string>): LineageSource {
	return {
		getShape: (id) => records.get(id),
		arrowBindings: (id) => {
			const to = starts.get(id)
			return to
				? [
						{ toId: to as TLShapeId, props: { terminal: 'start' } },
						{ toId: 'shape:elsewhere' as TLShapeId, props: { terminal: 'end' } },
					]
				: []
		},
	}
}

const node = (jobId: string): Record => ({ type: GENERATION_SHAPE, props: { jobId }, meta: {} })

describe('canvasLineage', () => {
	// prompt card → imagine grid → (candidate img_b) vary grid → (candidate img_c) zoom grid
	const records = new Map<string, Record>([
		[jobShapeIds('job_a').prompt, { type: PROMPT_SHAPE, props: {}, meta: {} }],
		[jobShapeIds('job_a').node, node('job_a')],
		[jobShapeIds('job_a').arrow, { type: 'arrow', props: {}, meta: {} }],
		[jobShapeIds('job_b').node, node('job_b')],
		[jobShapeIds('job_b').arrow, { type: 'arrow', props: {}, meta: { parentImageId: 'img_b' } }],
		[jobShapeIds('job_c').node, node('job_c')],
		[jobShapeIds('job_c').arrow, { type: 'arrow', props: {}, meta: { parentImageId: 'img_c' } }],
	])
	const starts = new Map([
		[jobShapeIds('job_a').arrow, jobShapeIds('job_a').prompt],
		[jobShapeIds('job_b').arrow, jobShapeIds('job_a').node],
		[jobShapeIds('job_c').arrow, jobShapeIds('job_b').node],
	])

	it('walks from a node to its root prompt card through the server’s arrows', () => {
		const path = canvasLineage(board(records, starts), jobShapeIds('job_c').node)
		expect(path.shapes).toEqual([
			jobShapeIds('job_c').node,
			jobShapeIds('job_b').node,
			jobShapeIds('job_a').node,
			jobShapeIds('job_a').prompt,
		])
		expect(path.arrows).toEqual([
			jobShapeIds('job_c').arrow,
			jobShapeIds('job_b').arrow,
			jobShapeIds('job_a').arrow,
		])
		expect(path.imageIds).toEqual(['img_c', 'img_b'])
	})

	it('stops where an ancestor was deleted from the canvas', () => {
		const without = new Map(records)
		without.delete(jobShapeIds('job_a').node)
		const path = canvasLineage(board(without, starts), jobShapeIds('job_c').node)
		expect(path.shapes).toEqual([jobShapeIds('job_c').node, jobShapeIds('job_b').node])
	})

	it('has no ancestors for an upload (no arrow) and survives a cycle', () => {
		expect(canvasLineage(board(records, new Map()), jobShapeIds('job_c').node).arrows).toEqual([])
		const cyclic = new Map(starts)
		cyclic.set(jobShapeIds('job_a').arrow, jobShapeIds('job_c').node)
		const path = canvasLineage(board(records, cyclic), jobShapeIds('job_c').node)
		expect(path.shapes).toHaveLength(3)
	})
})
