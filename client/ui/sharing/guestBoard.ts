/**
 * The board a guest joined, remembered in this browser: a guest has no board list, so the home
 * page points back to it. Best effort (private mode may refuse storage).
 */
const KEY = 'arbor:guest-board'

export interface GuestBoard {
	id: string
	name: string
}

export function rememberGuestBoard(board: GuestBoard) {
	try {
		localStorage.setItem(KEY, JSON.stringify(board))
	} catch {
		// Storage refused: the guest still has the link to come back with.
	}
}

export function recallGuestBoard(): GuestBoard | null {
	try {
		const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null')
		if (
			parsed &&
			typeof parsed === 'object' &&
			typeof (parsed as GuestBoard).id === 'string' &&
			typeof (parsed as GuestBoard).name === 'string'
		)
			return parsed as GuestBoard
	} catch {
		// Unreadable or refused: as if nothing was remembered.
	}
	return null
}
