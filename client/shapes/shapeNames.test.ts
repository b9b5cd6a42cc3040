import { describe, expect, it } from 'vitest'
import { arborShapeUtils } from './arborShapeUtils'
import { arborUiOverrides } from './shapeNames'

describe('arborUiOverrides', () => {
	it('gives every Arbor shape a readable name where tldraw announces a selection', () => {
		const en = arborUiOverrides.translations?.en ?? {}
		for (const util of arborShapeUtils) {
			const name = en[`tool.${util.type}`]
			expect(name, util.type).toBeTruthy()
			expect(name).not.toMatch(/^tool\.|arbor-/)
		}
	})
})
