import type {
	PanDirection,
	UpscaleFactor,
	UpscaleMode,
	VaryStrength,
	ZoomFactor,
} from '../../shared/ops/params'

/**
 * Arbor's own keys on the board, checked against tldraw 5.4's defaults:
 * - `s`/`shift+s`, `m`, `w`/`shift+w`, `u`/`shift+u`/`alt+u`/`alt+shift+u`, `shift+r` and `j` are
 *   unbound there (tldraw's single letters are v h e d b x r o a l f t n k g q z; c i j m p u w y
 *   are free; its alt letters are a d f h r s t v w and alt+shift f h v; shift+r is free).
 * - Bare arrows nudge, shift+arrows nudge further, cmd/ctrl(+shift)+arrows walk the selection and
 *   alt+arrows change page: alt+shift+arrows is the one arrow chord left, so it pans.
 * - Bare digits 1–9 are bound by tldraw's toolbar ("click the nth tool"); the board turns that off
 *   (`enableToolbarKeyboardShortcuts: false`), so 1–4 pick candidates. Shift+0/1/2 stay tldraw's.
 */
export type ShortcutAction =
	| { kind: 'pick'; index: number }
	| { kind: 'vary'; strength: VaryStrength }
	| { kind: 'remix' }
	| { kind: 'zoomOut'; factor: ZoomFactor }
	| { kind: 'pan'; direction: PanDirection }
	| { kind: 'upscale'; mode: UpscaleMode; factor: UpscaleFactor }
	| { kind: 'reroll' }
	| { kind: 'toggleQueue' }

/** Labels for tooltips and the help lines, next to what they do. */
export const SHORTCUT_LABELS = {
	pick: '1–4',
	varySubtle: 'S',
	varyStrong: 'Shift+S',
	remix: 'M',
	zoomOut2: 'W',
	zoomOut15: 'Shift+W',
	pan: 'Alt+Shift+←→↑↓',
	upscaleSubtle2: 'U',
	upscaleCreative2: 'Shift+U',
	upscaleSubtle4: 'Alt+U',
	upscaleCreative4: 'Alt+Shift+U',
	reroll: 'Shift+R',
	queue: 'J',
	approve: 'P',
	reject: 'Shift+X',
	star: '*',
	clearMark: '0',
	comment: 'C',
} as const

/** The key that runs one upscale, for its button and tooltip. */
export function upscaleShortcut(mode: UpscaleMode, factor: UpscaleFactor): string {
	if (mode === 'subtle')
		return factor === 2 ? SHORTCUT_LABELS.upscaleSubtle2 : SHORTCUT_LABELS.upscaleSubtle4
	return factor === 2 ? SHORTCUT_LABELS.upscaleCreative2 : SHORTCUT_LABELS.upscaleCreative4
}

export const PAN_KEYS: Record<PanDirection, string> = {
	left: 'Alt+Shift+←',
	right: 'Alt+Shift+→',
	up: 'Alt+Shift+↑',
	down: 'Alt+Shift+↓',
}

export interface KeyLike {
	key: string
	code: string
	shiftKey: boolean
	ctrlKey: boolean
	metaKey: boolean
	altKey: boolean
	repeat?: boolean
}

const ARROWS: Record<string, PanDirection> = {
	ArrowLeft: 'left',
	ArrowRight: 'right',
	ArrowUp: 'up',
	ArrowDown: 'down',
}

/**
 * The letter a key press typed. With Alt held, macOS types a symbol or a dead key (alt+u is "¨"):
 * then the physical key decides, as tldraw does for non-Latin layouts.
 */
function letterOf(event: KeyLike): string {
	const key = event.key.toLowerCase()
	if (/^[a-z]$/.test(key)) return key
	const physical = /^Key([A-Z])$/.exec(event.code)
	return physical ? physical[1].toLowerCase() : key
}

/** The Arbor action a key press stands for, or null to leave it to tldraw and the browser. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
	if (event.ctrlKey || event.metaKey || event.repeat) return null
	const { shiftKey, altKey } = event
	if (altKey) {
		const direction = ARROWS[event.key] ?? ARROWS[event.code]
		if (direction) return shiftKey ? { kind: 'pan', direction } : null
		if (letterOf(event) === 'u')
			return { kind: 'upscale', mode: shiftKey ? 'creative' : 'subtle', factor: 4 }
		return null
	}
	const digit = /^(?:Digit|Numpad)([1-4])$/.exec(event.code)
	if (digit && !shiftKey) return { kind: 'pick', index: Number(digit[1]) - 1 }
	switch (letterOf(event)) {
		case 's':
			return { kind: 'vary', strength: shiftKey ? 'strong' : 'subtle' }
		case 'm':
			return shiftKey ? null : { kind: 'remix' }
		case 'w':
			return { kind: 'zoomOut', factor: shiftKey ? 1.5 : 2 }
		case 'u':
			return { kind: 'upscale', mode: shiftKey ? 'creative' : 'subtle', factor: 2 }
		case 'r':
			// Bare R is tldraw's rectangle tool.
			return shiftKey ? { kind: 'reroll' } : null
		case 'j':
			return shiftKey ? null : { kind: 'toggleQueue' }
		default:
			return null
	}
}

/** A review key on the active candidate: mark it, or jump to its comment box. */
export type ReviewShortcut =
	| { kind: 'decide'; state: 'approved' | 'rejected' | 'starred' | 'none' }
	| { kind: 'comment' }

/**
 * Review keys, apart from `shortcutFor` so the steering handler never sees them. Lightroom's
 * habits where tldraw leaves room: P picks (approves); X rejects, with Shift because bare X is
 * tldraw's draw tool; `*` stars (whatever keys type it on the layout); 0 clears, like Lightroom's
 * "no rating" (bare digits are free: the toolbar's digit keys are off, Shift+0 stays tldraw's
 * zoom); C opens the comment box. tldraw binds none of p, shift+x, *, 0, c.
 */
export function reviewShortcutFor(event: KeyLike): ReviewShortcut | null {
	if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return null
	if (event.key === '*') return { kind: 'decide', state: 'starred' }
	if (!event.shiftKey && /^(?:Digit|Numpad)0$/.test(event.code))
		return { kind: 'decide', state: 'none' }
	switch (letterOf(event)) {
		case 'p':
			return event.shiftKey ? null : { kind: 'decide', state: 'approved' }
		case 'x':
			return event.shiftKey ? { kind: 'decide', state: 'rejected' } : null
		case 'c':
			return event.shiftKey ? null : { kind: 'comment' }
		default:
			return null
	}
}

/** Typing in a field (the prompt bar, a shape's label) must never trigger board shortcuts. */
export function isTypingTarget(target: unknown): boolean {
	if (!target || typeof target !== 'object' || !('tagName' in target)) return false
	const element = target as { tagName: string; isContentEditable?: boolean }
	const tag = element.tagName.toUpperCase()
	return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || !!element.isContentEditable
}
