import type { BoardSummary } from '../../shared/api'
import { imageFileUrl } from '../api/client'
import { formatDate } from './formatDate'
import { boardPath, Link } from './router'

const ROLE_LABELS = { owner: 'Owner', editor: 'Editor', viewer: 'Viewer' } as const

/**
 * One board in the list: a thumbnail of its newest image (four empty cells on a new board), its
 * name, who owns it ("You" for your own), your role and when it began.
 */
export function BoardCard({ board, selfId }: { board: BoardSummary; selfId: string }) {
	const owner = board.owner
	const ownerText = owner ? (owner.id === selfId ? 'You' : owner.name) : null
	return (
		<Link
			to={boardPath(board.id)}
			className="board-card"
			data-testid="board-card"
			data-board-id={board.id}
		>
			<span className="board-card__cover" aria-hidden="true">
				{board.coverImageId ? (
					<img
						src={imageFileUrl(board.id, board.coverImageId, 'thumb')}
						alt=""
						loading="lazy"
						decoding="async"
						data-testid="board-thumbnail"
					/>
				) : (
					<span className="board-card__empty" data-testid="board-thumbnail-empty">
						<span />
						<span />
						<span />
						<span />
					</span>
				)}
			</span>
			<span className="board-card__body">
				<span className="board-card__name">{board.name}</span>
				{ownerText && (
					<span className="board-card__owner" data-testid="board-owner">
						{owner?.id === selfId ? 'Yours' : `Owned by ${ownerText}`}
					</span>
				)}
				<span className="board-card__meta">
					<span className={`role-badge role-badge--${board.role}`} data-testid="board-role">
						{ROLE_LABELS[board.role]}
					</span>
					<span className="muted">Created {formatDate(board.createdAt)}</span>
				</span>
			</span>
		</Link>
	)
}
