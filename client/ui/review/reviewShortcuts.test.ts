import { describe, expect, it } from 'vitest'
import { type KeyLike, reviewShortcutFor, shortcutFor } from '../../board/shortcuts'

const key = (overrides: Partial<KeyLike>): KeyLike => ({
	key: '',
	code: '',
	shiftKey: false,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	...overrides,
})

describe('reviewShortcutFor', () => {
	it.each([
		[key({ key: 'p', code: 'KeyP' }), { kind: 'decide', state: 'approved' }],
		[key({ key: 'X', code: 'KeyX', shiftKey: true }), { kind: 'decide', state: 'rejected' }],
		[key({ key: '*', code: 'Digit8', shiftKey: true }), { kind: 'decide', state: 'starred' }],
		[key({ key: '*', code: 'NumpadMultiply' }), { kind: 'decide', state: 'starred' }],
		[key({ key: '0', code: 'Digit0' }), { kind: 'decide', state: 'none' }],
		[key({ key: 'c', code: 'KeyC' }), { kind: 'comment' }],
	])('maps %o', (event, action) => {
		expect(reviewShortcutFor(event)).toEqual(action)
	})

	it.each([
		// tldraw's: bare X draws, Shift+0 zooms to 100%, Cmd+C copies.
		key({ key: 'x', code: 'KeyX' }),
		key({ key: ')', code: 'Digit0', shiftKey: true }),
		key({ key: 'c', code: 'KeyC', metaKey: true }),
		key({ key: 'p', code: 'KeyP', repeat: true }),
		key({ key: 'P', code: 'KeyP', shiftKey: true }),
	])('leaves %o alone', (event) => {
		expect(reviewShortcutFor(event)).toBeNull()
	})

	it('never claims a steering key, and steering never claims a review key', () => {
		const review = [
			key({ key: 'p', code: 'KeyP' }),
			key({ key: 'X', code: 'KeyX', shiftKey: true }),
			key({ key: '*', code: 'Digit8', shiftKey: true }),
			key({ key: '0', code: 'Digit0' }),
			key({ key: 'c', code: 'KeyC' }),
		]
		for (const event of review) expect(shortcutFor(event)).toBeNull()
		const steering = ['s', 'm', 'w', 'u', 'j', '1', '4'].map((k) =>
			key({ key: k, code: /\d/.test(k) ? `Digit${k}` : `Key${k.toUpperCase()}` }),
		)
		for (const event of steering) expect(reviewShortcutFor(event)).toBeNull()
	})
})
