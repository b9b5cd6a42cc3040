import { describe, expect, it } from 'vitest'
import { FailureThrottle } from './failureThrottle'

function throttle(maxKeys?: number) {
	let now = 1_000_000
	const t = new FailureThrottle(
		{ freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000, maxKeys },
		() => now,
	)
	return { t, advance: (ms: number) => (now += ms) }
}

describe('FailureThrottle', () => {
	it('lets the free failures through, then doubles the wait up to the maximum', () => {
		const { t } = throttle()
		const waits: number[] = []
		for (let i = 0; i < 7; i++) {
			t.fail('a')
			waits.push(t.retryAfterMs('a'))
		}
		expect(waits).toEqual([0, 1000, 2000, 4000, 8000, 8000, 8000])
		expect(t.retryAfterMs('b')).toBe(0)
	})

	it('forgets a key after a quiet spell, and at once on success', () => {
		const { t, advance } = throttle()
		for (let i = 0; i < 3; i++) t.fail('a')
		advance(2000)
		expect(t.retryAfterMs('a')).toBe(0)
		t.fail('a')
		expect(t.retryAfterMs('a')).toBe(4000)
		advance(70_000)
		t.fail('a')
		expect(t.retryAfterMs('a')).toBe(0)
		for (let i = 0; i < 3; i++) t.fail('b')
		t.succeed('b')
		expect(t.retryAfterMs('b')).toBe(0)
	})

	it('keeps at most maxKeys, forgetting the oldest', () => {
		const { t } = throttle(2)
		for (const key of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) t.fail(key)
		expect(t.retryAfterMs('a')).toBe(0)
		expect(t.retryAfterMs('c')).toBeGreaterThan(0)
	})
})
