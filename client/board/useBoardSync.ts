import { useEffect, useState } from 'react'
import type { User } from '../../shared/api'
import { BoardSync } from './BoardSync'

/**
 * The live connection of the board on screen: created on mount, torn down on unmount or when the
 * board, the user or their write access changes (a new connection per combination).
 */
export function useBoardSync(options: {
	boardId: string
	user: User
	canEdit: boolean
}): BoardSync | null {
	const [sync, setSync] = useState<BoardSync | null>(null)
	const { boardId, user, canEdit } = options
	useEffect(() => {
		const next = new BoardSync({ boardId, user, canEdit })
		setSync(next)
		return () => {
			next.dispose()
			setSync((current) => (current === next ? null : current))
		}
	}, [boardId, user, canEdit])
	return sync
}
