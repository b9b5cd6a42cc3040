import { createContext, useContext } from 'react'
import type { Atom, Signal, TLShapeId } from 'tldraw'
import type { Role } from '../../shared/api'
import type { JobProgress } from '../../shared/collab'
import type { VaryStrength } from '../../shared/ops/params'
import type { BoardJobs } from './queueModel'

/** The candidate the user picked: the inspector shows it, Vary acts on it. Local to this tab. */
export interface ActiveCandidate {
	shapeId: TLShapeId
	index: number
	imageId: string
}

/**
 * What the board's shapes and panels share: who may do what, live job progress from the server's
 * awareness, the active candidate, and the actions that call the API. Shapes render inside
 * `<Tldraw>`, which is inside this provider, so they read it with {@link useBoard}.
 */
export interface BoardContextValue {
	boardId: string
	role: Role
	canEdit: boolean
	jobs: Signal<Record<string, JobProgress>>
	/** Pending and finished jobs as the board's nodes show them; changes when a status moves. */
	boardJobs: Signal<BoardJobs>
	active: Atom<ActiveCandidate | null>
	/** Whether the queue panel is open (J toggles it). */
	queueOpen: Atom<boolean>
	vary(imageId: string, strength: VaryStrength): Promise<void>
	retry(jobId: string): Promise<void>
	cancel(jobId: string): Promise<void>
	/** Makes a candidate active and selects its node. */
	pick(candidate: ActiveCandidate): void
}

export const BoardContext = createContext<BoardContextValue | null>(null)

/** The board around a shape, or null when a shape renders outside a board (an export). */
export function useBoard(): BoardContextValue | null {
	return useContext(BoardContext)
}
