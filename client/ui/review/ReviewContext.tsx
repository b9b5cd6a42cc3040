import { createContext, type ReactNode, useContext, useMemo } from 'react'
import { atom, type Signal } from 'tldraw'
import type { AccessRole } from '../../../shared/api'
import type { ReviewMarks } from '../../../shared/review'
import type { ClientViewSettings } from '../../../shared/sharing'
import type { BoardSync } from '../../board/BoardSync'
import { EMPTY_MARKS } from '../../board/presence'
import { personColor } from './reviewText'
import './review.css'

/**
 * What the review UI shares across the canvas and the panels: who is looking (role, client-view
 * settings) and the server's live badges. Shapes render inside `<Tldraw>`, under this provider.
 */
export interface ReviewContextValue {
	boardId: string
	role: AccessRole
	selfId: string
	/** The owner's client-view settings, for a client; null for everyone else. */
	clientView: ClientViewSettings | null
	/** Each candidate's decision and open comment count, live from the server's awareness. */
	marks: Signal<ReviewMarks>
	/** A person's colour: their cursor colour while they are here, else a stable one by id. */
	colorOf(personId: string): string
}

const ReviewContext = createContext<ReviewContextValue | null>(null)

/** The review around a shape or panel; null outside a board (an export, a test). */
export function useReview(): ReviewContextValue | null {
	return useContext(ReviewContext)
}

const NO_MARKS = atom<ReviewMarks>('no review marks', EMPTY_MARKS)

interface ReviewProviderProps {
	sync: BoardSync | null
	boardId: string
	role: AccessRole
	selfId: string
	/** The board's client-view settings (they come with the board): what a client may do. */
	clientView?: ClientViewSettings | null
	children: ReactNode
}

export function ReviewProvider(props: ReviewProviderProps) {
	const { sync, boardId, role, selfId, children } = props
	const clientView = role === 'client' ? (props.clientView ?? null) : null
	const value = useMemo<ReviewContextValue>(
		() => ({
			boardId,
			role,
			selfId,
			clientView,
			marks: sync?.review ?? NO_MARKS,
			colorOf: (personId: string) =>
				sync?.people.get().find((person) => person.id === personId)?.color ?? personColor(personId),
		}),
		[boardId, role, selfId, clientView, sync],
	)
	return <ReviewContext.Provider value={value}>{children}</ReviewContext.Provider>
}
