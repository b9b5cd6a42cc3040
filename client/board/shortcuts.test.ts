import { describe, expect, it } from 'vitest'
import { isTypingTarget, type KeyLike, shortcutFor, upscaleShortcut } from './shortcuts'

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
		[key({ key: 'm', code: 'KeyM' }), { kind: 'remix' }],
		[key({ key: 'w', code: 'KeyW' }), { kind: 'zoomOut', factor: 2 }],
		[key({ key: 'W', code: 'KeyW', shiftKey: true }), { kind: 'zoomOut', factor: 1.5 }],
		[
			key({ key: 'ArrowLeft', code: 'ArrowLeft', altKey: true, shiftKey: true }),
			{ kind: 'pan', direction: 'left' },
		],
		[
			key({ key: 'ArrowDown', code: 'ArrowDown', altKey: true, shiftKey: true }),
			{ kind: 'pan', direction: 'down' },
		],
		[key({ key: 'u', code: 'KeyU' }), { kind: 'upscale', mode: 'subtle', factor: 2 }],
		[
			key({ key: 'U', code: 'KeyU', shiftKey: true }),
			{ kind: 'upscale', mode: 'creative', factor: 2 },
		],
		// macOS types a dead key for alt+u: the physical key decides.
		[
			key({ key: 'Dead', code: 'KeyU', altKey: true }),
			{ kind: 'upscale', mode: 'subtle', factor: 4 },
		],
		[
			key({ key: 'U', code: 'KeyU', altKey: true, shiftKey: true }),
			{ kind: 'upscale', mode: 'creative', factor: 4 },
		],
		[key({ key: 'R', code: 'KeyR', shiftKey: true }), { kind: 'reroll' }],
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
		// tldraw's: rectangle tool, nudges, page changes, selection walking, undo…
		key({ key: 'r', code: 'KeyR' }),
		key({ key: 'ArrowLeft', code: 'ArrowLeft' }),
		key({ key: 'ArrowLeft', code: 'ArrowLeft', shiftKey: true }),
		key({ key: 'ArrowLeft', code: 'ArrowLeft', altKey: true }),
		key({ key: 'ArrowLeft', code: 'ArrowLeft', ctrlKey: true, shiftKey: true }),
		key({ key: 'u', code: 'KeyU', ctrlKey: true }),
		key({ key: 'w', code: 'KeyW', altKey: true }),
		key({ key: 'M', code: 'KeyM', shiftKey: true }),
		key({ key: 'J', code: 'KeyJ', shiftKey: true }),
		key({ key: 'j', code: 'KeyJ', ctrlKey: true }),
	])('leaves %o to tldraw', (event) => {
		expect(shortcutFor(event)).toBeNull()
	})

	it('names the key of each upscale', () => {
		expect(upscaleShortcut('subtle', 2)).toBe('U')
		expect(upscaleShortcut('creative', 4)).toBe('Alt+Shift+U')
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
