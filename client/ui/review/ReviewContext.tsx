import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react'
import { atom, type Signal } from 'tldraw'
import type { AccessRole } from '../../../shared/api'
import type { ReviewMarks } from '../../../shared/review'
import type { ClientViewSettings } from '../../../shared/sharing'
import { reviewApi } from '../../api/review'
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
	/** Known client-view settings; when a client's are not given they are read from the board. */
	clientView?: ClientViewSettings | null
	children: ReactNode
}

export function ReviewProvider(props: ReviewProviderProps) {
	const { sync, boardId, role, selfId, children } = props
	const [fetched, setFetched] = useState<ClientViewSettings | null>(null)
	const needsSettings = role === 'client' && props.clientView === undefined

	useEffect(() => {
		if (!needsSettings) return
		const controller = new AbortController()
		reviewApi
			.clientView(boardId, controller.signal)
			.then(setFetched)
			.catch((error: unknown) => {
				// Without the settings a client simply gets the view-only inspector.
				if (!controller.signal.aborted) console.warn('[arbor] client view settings', error)
			})
		return () => controller.abort()
	}, [needsSettings, boardId])

	const clientView = role === 'client' ? (props.clientView ?? fetched) : null
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
