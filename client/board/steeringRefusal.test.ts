import { describe, expect, it } from 'vitest'
import { steeringRefusal } from './steeringRefusal'

const editor = { canEdit: true, hasNode: true, nodeDone: true, hasActive: true }

describe('steeringRefusal', () => {
	it('says to pick a candidate when a steering key has nothing to act on', () => {
		const none = { ...editor, hasNode: false, hasActive: false }
		expect(steeringRefusal({ kind: 'vary', strength: 'subtle' }, none)).toMatch(/pick a candidate/i)
		expect(steeringRefusal({ kind: 'upscale', mode: 'subtle', factor: 2 }, none)).toMatch(
			/pick a candidate/i,
		)
		expect(steeringRefusal({ kind: 'pick', index: 2 }, none)).toMatch(/select a node/i)
		expect(steeringRefusal({ kind: 'reroll' }, none)).toMatch(/select a finished grid/i)
	})

	it('tells a viewer that steering is for editors, while picking still works', () => {
		const viewer = { ...editor, canEdit: false }
		expect(steeringRefusal({ kind: 'vary', strength: 'strong' }, viewer)).toMatch(/only editors/i)
		expect(steeringRefusal({ kind: 'remix' }, viewer)).toMatch(/only editors/i)
		expect(steeringRefusal({ kind: 'pick', index: 0 }, viewer)).toBeNull()
	})

	it('lets a key act when it can', () => {
		expect(steeringRefusal({ kind: 'vary', strength: 'subtle' }, editor)).toBeNull()
		expect(steeringRefusal({ kind: 'reroll' }, editor)).toBeNull()
		expect(steeringRefusal({ kind: 'toggleQueue' }, { ...editor, canEdit: false })).toBeNull()
		expect(steeringRefusal({ kind: 'pick', index: 1 }, { ...editor, nodeDone: false })).toMatch(
			/no candidates yet/,
		)
	})
})
