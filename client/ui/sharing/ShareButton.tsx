import { useState } from 'react'
import type { Board } from '../../../shared/api'
import type { Person } from '../../board/presence'
import { ShareDialog } from './ShareDialog'

/** "Share" for the owner (the full dialog), "Members" for everyone else (a read-only list). */
export function ShareButton(props: {
	board: Board
	manage: boolean
	people: Person[]
	selfId: string
}) {
	const [open, setOpen] = useState(false)
	return (
		<>
			<button
				type="button"
				className={`share-button${props.manage ? '' : ' share-button--quiet'}`}
				data-testid="share-button"
				aria-haspopup="dialog"
				aria-expanded={open}
				title={
					props.manage
						? 'Invite people, create links, set up the client view'
						: 'Who is on this board'
				}
				onClick={() => setOpen(true)}
			>
				{props.manage ? 'Share' : 'Members'}
			</button>
			{open && (
				<ShareDialog
					board={props.board}
					manage={props.manage}
					people={props.people}
					selfId={props.selfId}
					onClose={() => setOpen(false)}
				/>
			)}
		</>
	)
}
