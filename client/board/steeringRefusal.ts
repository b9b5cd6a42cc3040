import { SHORTCUT_LABELS, type ShortcutAction } from './shortcuts'

/** What the board knows when a steering key is pressed. */
export interface SteeringKeyState {
	/** The person may generate here (owners, editors). */
	canEdit: boolean
	/** Exactly one generation node is selected (or holds the active candidate). */
	hasNode: boolean
	/** That node has finished: its candidates can be picked, a grid rerolled. */
	nodeDone: boolean
	/** A candidate is picked (the inspector is open on it). */
	hasActive: boolean
}

/**
 * Why a steering key does nothing, as a short sentence for a toast; null when it will act. A key
 * that silently does nothing reads as broken ("I pressed S and nothing happened").
 */
export function steeringRefusal(action: ShortcutAction, state: SteeringKeyState): string | null {
	if (action.kind === 'toggleQueue') return null
	if (action.kind === 'pick') {
		if (!state.hasNode)
			return `Select a node first, then press ${SHORTCUT_LABELS.pick} to pick one of its candidates.`
		return state.nodeDone ? null : 'This node has no candidates yet: wait until it is done.'
	}
	if (!state.canEdit) return 'Only editors can steer on this board: you can look and inspect.'
	if (action.kind === 'reroll')
		return state.hasNode && state.nodeDone ? null : 'Select a finished grid to reroll it.'
	if (!state.hasActive)
		return `Pick a candidate first: click one, or select a node and press ${SHORTCUT_LABELS.pick}.`
	return null
}
