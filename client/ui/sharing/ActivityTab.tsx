import { api } from '../../api/client'
import { sharingApi } from '../../api/sharing'
import { formatDateTime } from '../formatDate'
import { relativeTime } from '../relativeTime'
import { ListError, ListLoading } from './SharingBits'
import { auditSentence } from './shareText'
import { useRemote } from './useRemote'

async function loadActivity(boardId: string) {
	const [entries, members] = await Promise.all([
		sharingApi.audit(boardId),
		// Names only make sentences nicer ("invited Ben"): without them they say "a member".
		api.listMembers(boardId).catch(() => []),
	])
	return { entries, names: new Map(members.map((m) => [m.user.id, m.user.name])) }
}

const TONES: Record<string, string> = {
	member: 'member',
	share_link: 'link',
	decision: 'review',
	pick: 'review',
	publication: 'client',
	client_view: 'client',
}

/** The board's audit log, newest first, one sentence per act. */
export function ActivityTab({ boardId }: { boardId: string }) {
	const audit = useRemote(() => loadActivity(boardId), boardId)
	if (audit.state.status === 'loading') return <ListLoading />
	if (audit.state.status === 'error')
		return <ListError message={audit.state.message} onRetry={audit.reload} />
	const now = Date.now()
	const { entries, names } = audit.state.data
	if (entries.length === 0) {
		return (
			<p className="share-empty" data-testid="activity-empty">
				Nothing yet. Invitations, links, reviews and publishing are recorded here, with who did what
				and when.
			</p>
		)
	}
	return (
		<ol className="activity-list" data-testid="activity-list">
			{entries.map((entry) => (
				<li
					key={entry.id}
					className="activity"
					data-testid="activity-entry"
					data-action={entry.action}
				>
					<span
						className={`activity__dot activity__dot--${TONES[entry.action.split('.')[0]] ?? 'member'}`}
						aria-hidden="true"
					/>
					<span className="activity__text">{auditSentence(entry, names)}</span>
					<time className="activity__time" dateTime={entry.at} title={formatDateTime(entry.at)}>
						{relativeTime(entry.at, now)}
					</time>
				</li>
			))}
		</ol>
	)
}
