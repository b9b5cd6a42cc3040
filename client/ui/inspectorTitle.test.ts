import { describe, expect, it } from 'vitest'
import { inspectorTitle } from './inspectorTitle'

describe('inspectorTitle', () => {
	it('numbers a candidate by its place in its grid, in the team’s view and the client’s alike', () => {
		const team = inspectorTitle({ kind: 'grid', activeIndex: 1, imageIndex: 1, slots: 4 })
		// The client's view: the same image alone in a node of one cell.
		const client = inspectorTitle({ kind: 'grid', activeIndex: 0, imageIndex: 1, slots: 1 })
		expect(team).toBe('Candidate 2')
		expect(client).toBe('Candidate 2')
	})

	it('names a published candidate in a client’s view by what made it, not by its frame', () => {
		expect(
			inspectorTitle({ kind: 'final', activeIndex: 0, imageIndex: 1, slots: 1, imageOp: 'vary' }),
		).toBe('Candidate 2')
		expect(
			inspectorTitle({
				kind: 'final',
				activeIndex: 0,
				imageIndex: 0,
				slots: 1,
				imageOp: 'upscale',
			}),
		).toBe('Final image')
	})

	it('says no number before it knows one in a one-cell node', () => {
		expect(inspectorTitle({ kind: 'grid', activeIndex: 0, imageIndex: undefined, slots: 1 })).toBe(
			'Candidate',
		)
		expect(inspectorTitle({ kind: 'grid', activeIndex: 2, imageIndex: undefined, slots: 4 })).toBe(
			'Candidate 3',
		)
	})

	it('names finals and uploads', () => {
		expect(inspectorTitle({ kind: 'final', activeIndex: 0, imageIndex: 0, slots: 1 })).toBe(
			'Final image',
		)
		expect(inspectorTitle({ kind: 'upload', activeIndex: 0, imageIndex: 0, slots: 1 })).toBe(
			'Uploaded image',
		)
	})
})
