/**
 * Arbor's own keys on the board, checked against tldraw 5.4's defaults: `s` and `shift+s` are
 * unbound there (tldraw has alt+s and cmd+shift+s), and so is `j` (tldraw's single letters are
 * v h e d b x r o a l f t n k g q z; c i j m p u w y are free). Bare digits 1–9 are bound by tldraw's toolbar
 * ("click the nth tool"); the board turns that off (`enableToolbarKeyboardShortcuts: false`), so
 * 1–4 pick candidates and every tool keeps its letter. Shift+0/1/2 (zoom) stay tldraw's.
 */
export type ShortcutAction =
	| { kind: 'pick'; index: number }
	| { kind: 'vary'; strength: 'subtle' | 'strong' }
	| { kind: 'toggleQueue' }

/** Labels for tooltips and the help line, next to what they do. */
export const SHORTCUT_LABELS = {
	pick: '1–4',
	varySubtle: 'S',
	varyStrong: 'Shift+S',
	queue: 'J',
} as const

export interface KeyLike {
	key: string
	code: string
	shiftKey: boolean
	ctrlKey: boolean
	metaKey: boolean
	altKey: boolean
	repeat?: boolean
}

/** The Arbor action a key press stands for, or null to leave it to tldraw and the browser. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
	if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return null
	const digit = /^(?:Digit|Numpad)([1-4])$/.exec(event.code)
	if (digit && !event.shiftKey) return { kind: 'pick', index: Number(digit[1]) - 1 }
	if (event.key.toLowerCase() === 's') {
		return { kind: 'vary', strength: event.shiftKey ? 'strong' : 'subtle' }
	}
	if (event.key === 'j') return { kind: 'toggleQueue' }
	return null
}

/** Typing in a field (the prompt bar, a shape's label) must never trigger board shortcuts. */
export function isTypingTarget(target: unknown): boolean {
	if (!target || typeof target !== 'object' || !('tagName' in target)) return false
	const element = target as { tagName: string; isContentEditable?: boolean }
	const tag = element.tagName.toUpperCase()
	return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || !!element.isContentEditable
}
