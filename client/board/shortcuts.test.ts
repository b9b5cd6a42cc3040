import { describe, expect, it } from 'vitest'
import { isTypingTarget, type KeyLike, shortcutFor } from './shortcuts'

const key = (overrides: Partial<KeyLike>): KeyLike => ({
	key: '',
	code: '',
	shiftKey: false,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	...overrides,
})

describe('shortcutFor', () => {
	it.each([
		[key({ key: '1', code: 'Digit1' }), { kind: 'pick', index: 0 }],
		[key({ key: '4', code: 'Numpad4' }), { kind: 'pick', index: 3 }],
		[key({ key: 's', code: 'KeyS' }), { kind: 'vary', strength: 'subtle' }],
		[key({ key: 'S', code: 'KeyS', shiftKey: true }), { kind: 'vary', strength: 'strong' }],
		[key({ key: 'j', code: 'KeyJ' }), { kind: 'toggleQueue' }],
	])('maps %o', (event, action) => {
		expect(shortcutFor(event)).toEqual(action)
	})

	it.each([
		key({ key: '5', code: 'Digit5' }),
		key({ key: '!', code: 'Digit1', shiftKey: true }),
		key({ key: 's', code: 'KeyS', metaKey: true }),
		key({ key: 's', code: 'KeyS', ctrlKey: true }),
		key({ key: 's', code: 'KeyS', altKey: true }),
		key({ key: 's', code: 'KeyS', repeat: true }),
		key({ key: 'v', code: 'KeyV' }),
		key({ key: 'J', code: 'KeyJ', shiftKey: true }),
		key({ key: 'j', code: 'KeyJ', ctrlKey: true }),
	])('leaves %o to tldraw', (event) => {
		expect(shortcutFor(event)).toBeNull()
	})
})

describe('isTypingTarget', () => {
	it('recognizes fields and editable content', () => {
		expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true)
		expect(isTypingTarget({ tagName: 'div', isContentEditable: true })).toBe(true)
		expect(isTypingTarget({ tagName: 'DIV', isContentEditable: false })).toBe(false)
		expect(isTypingTarget(null)).toBe(false)
	})
})
