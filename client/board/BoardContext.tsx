import { createContext, useContext } from 'react'
import type { Atom, Signal, TLShapeId } from 'tldraw'
import type { z } from 'zod'
import type { Role } from '../../shared/api'
import type { JobProgress } from '../../shared/collab'
import type { JobCreateSchema } from '../../shared/ops/catalogue'
import type { UpscaleParams, VaryStrength } from '../../shared/ops/params'
import type { BoardJobs } from './queueModel'

/** The candidate the user picked: the inspector shows it, the action bar acts on it. Per tab. */
export interface ActiveCandidate {
	shapeId: TLShapeId
	index: number
	imageId: string
}

/** A model picked in the steering bar, for the candidate it was picked on. */
export interface SteerModel {
	imageId: string
	model: string
}

type JobCreateInput = z.input<typeof JobCreateSchema>
/** The exploration ops: they run at once, no confirmation. */
export type ExploreRequest = Extract<
	JobCreateInput,
	{ op: 'vary' | 'remix' | 'zoom_out' | 'pan' | 'reroll' }
>

/**
 * What the board's shapes and panels share: who may do what, live job progress from the server's
 * awareness, the active candidate, and the actions that call the API. Shapes render inside
 * `<Tldraw>`, which is inside this provider, so they read it with {@link useBoard}.
 */
export interface BoardContextValue {
	boardId: string
	role: Role
	canEdit: boolean
	/** The signed-in person's name (recall cards they drop carry it as author). */
	userName: string
	jobs: Signal<Record<string, JobProgress>>
	/** Pending and finished jobs as the board's nodes show them; changes when a status moves. */
	boardJobs: Signal<BoardJobs>
	active: Atom<ActiveCandidate | null>
	/** Whether the queue panel is open (J toggles it). */
	queueOpen: Atom<boolean>
	/** Whether the remix prompt editor is open on the active candidate (M opens it). */
	remixing: Atom<boolean>
	/**
	 * A model picked in the steering bar for one candidate: steering that candidate asks for it
	 * instead of the node's own model. Null (or another candidate's): the node's model.
	 */
	steerModel: Atom<SteerModel | null>
	vary(imageId: string, strength: VaryStrength): Promise<void>
	/** Runs an exploration op at once and brings its node into view when it lands. */
	explore(request: ExploreRequest): Promise<void>
	/** The commit loop: shows the exact price and the balance after it, then upscales on Confirm. */
	upscale(candidate: ActiveCandidate, params: UpscaleParams): Promise<void>
	/** Runs the imagine a recall card (a dropped PNG's prompt) describes, beside the card. */
	runRecall(cardId: TLShapeId): Promise<void>
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
