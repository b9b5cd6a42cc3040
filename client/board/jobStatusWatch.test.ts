import { describe, expect, it } from 'vitest'
import { GENERATION_SHAPE } from '../../shared/shapes/generationShape'
import { changesJobStatus, type RecordChanges } from './jobStatusWatch'

const node = (status: string, x = 0) => ({
	typeName: 'shape',
	type: GENERATION_SHAPE,
	x,
	props: { status },
})
const note = { typeName: 'shape', type: 'note', props: { status: 'x' } }
const diff = (d: Partial<RecordChanges>): RecordChanges => ({
	added: {},
	updated: {},
	removed: {},
	...d,
})

describe('changesJobStatus', () => {
	it('sees a new node, a status that moved and a deleted node', () => {
		expect(changesJobStatus(diff({ added: { a: node('queued') } }))).toBe(true)
		expect(changesJobStatus(diff({ updated: { a: [node('running'), node('failed')] } }))).toBe(true)
		expect(changesJobStatus(diff({ removed: { a: node('done') } }))).toBe(true)
	})

	it('ignores moves and other shapes', () => {
		expect(changesJobStatus(diff({ updated: { a: [node('done', 0), node('done', 40)] } }))).toBe(
			false,
		)
		expect(changesJobStatus(diff({ added: { n: note } }))).toBe(false)
	})
})
