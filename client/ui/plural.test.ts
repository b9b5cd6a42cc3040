import { describe, expect, it } from 'vitest'
import { plural } from './plural'

describe('plural', () => {
	it.each([
		[0, 'committed pick', undefined, '0 committed picks'],
		[1, 'committed pick', undefined, '1 committed pick'],
		[2, 'final', undefined, '2 finals'],
		[1, 'entry', 'entries', '1 entry'],
		[12, 'entry', 'entries', '12 entries'],
		[1200, 'credit', undefined, '1,200 credits'],
	])('%i %s', (count, one, many, text) => {
		expect(plural(count, one, many)).toBe(text)
	})
})
