import { describe, expect, it } from 'vitest'
import { ApiError } from './client'
import { downloadRefusal, fileNameFrom } from './download'

describe('fileNameFrom', () => {
	it.each([
		['attachment; filename="harbour_a-lighthouse_vary_2.png"', 'harbour_a-lighthouse_vary_2.png'],
		['attachment; filename*=UTF-8\'\'caf%C3%A9.png; filename="cafe.png"', 'café.png'],
		['attachment; filename=plain.zip', 'plain.zip'],
		['attachment; filename="../../etc/passwd"', '.._.._etc_passwd'],
		['attachment', 'fallback.png'],
		[null, 'fallback.png'],
	])('%s → %s', (header, name) => {
		expect(fileNameFrom(header, 'fallback.png')).toBe(name)
	})
})

describe('downloadRefusal', () => {
	it('says access ended for a revoked link or an expired session, never a raw error', () => {
		const expired = new ApiError({ status: 401, code: 'unauthenticated', message: 'Sign in' })
		const revoked = new ApiError({ status: 404, code: 'not_found', message: 'The board' })
		const forbidden = new ApiError({ status: 403, code: 'forbidden', message: 'No' })
		expect(downloadRefusal(expired)).toMatch(/^Your access to this board ended/)
		expect(downloadRefusal(revoked)).toMatch(/^Your access to this board ended/)
		expect(downloadRefusal(forbidden)).toMatch(/^Your access to this board ended/)
		expect(downloadRefusal(new ApiError({ status: 500, code: 'internal', message: '' }))).toMatch(
			/download failed/,
		)
	})
})
