import { describe, expect, it } from 'vitest'
import { parseRoute } from '../router'

describe('parseRoute', () => {
	it('opens a share link at /s/:token', () => {
		expect(parseRoute('/s/abc_DEF-123')).toEqual({ name: 'share', token: 'abc_DEF-123' })
		expect(parseRoute('/s/abc/')).toEqual({ name: 'share', token: 'abc' })
	})

	it('leaves other paths alone', () => {
		expect(parseRoute('/s/')).toEqual({ name: 'notFound' })
		expect(parseRoute('/boards/brd_1')).toEqual({ name: 'board', boardId: 'brd_1' })
	})
})
