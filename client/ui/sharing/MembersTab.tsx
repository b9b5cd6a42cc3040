import { type FormEvent, useState } from 'react'
import type { Member, Role } from '../../../shared/api'
import type { BoardInvitation } from '../../../shared/sharing'
import { api } from '../../api/client'
import { sharingApi } from '../../api/sharing'
import type { Person } from '../../board/presence'
import { Avatar } from '../Avatar'
import { PendingInvitations } from './PendingInvitations'
import { ListError, ListLoading } from './SharingBits'
import { useSharingConfirm } from './SharingConfirm'
import { describeSharingError } from './sharingErrors'
import { useRemote } from './useRemote'

type SeatRole = Exclude<Role, 'owner'>

const ROLE_NAMES: Record<Role, string> = { owner: 'Owner', editor: 'Editor', viewer: 'Viewer' }

interface MembersTabProps {
	boardId: string
	/** Owners invite, change roles and remove; everyone else reads the list. */
	manage: boolean
	/** Who is in the room now (awareness), for the presence dots. */
	people: Person[]
	selfId: string
}

/** The board's members with their role and whether they are here now; owners manage them. */
export function MembersTab({ boardId, manage, people, selfId }: MembersTabProps) {
	const members = useRemote(() => api.listMembers(boardId), boardId)
	// Owners see who is invited and not yet in (the list is theirs alone).
	const invitations = useRemote(
		() => (manage ? sharingApi.listInvitations(boardId) : Promise.resolve([])),
		boardId,
	)
	const confirm = useSharingConfirm((error) => describeSharingError(error, 'member'))
	const [rowError, setRowError] = useState<{ userId: string; message: string } | null>(null)
	const here = new Set(people.map((person) => person.id))

	const changeRole = async (member: Member, role: SeatRole) => {
		setRowError(null)
		try {
			await sharingApi.changeMemberRole(boardId, member.user.id, role)
			members.set((list) => list.map((m) => (m.user.id === member.user.id ? { ...m, role } : m)))
		} catch (error) {
			setRowError({ userId: member.user.id, message: describeSharingError(error, 'member') })
		}
	}

	const remove = (member: Member) =>
		confirm.ask({
			title: `Remove ${member.user.name}?`,
			body: (
				<p>
					They lose access to this board at once, including any open tab. Their images stay on the
					canvas.
				</p>
			),
			confirmLabel: 'Remove',
			run: async () => {
				await sharingApi.removeMember(boardId, member.user.id)
				members.set((list) => list.filter((m) => m.user.id !== member.user.id))
			},
		})

	const withdraw = (invitation: BoardInvitation) =>
		confirm.ask({
			title: `Withdraw the invitation to ${invitation.email}?`,
			body: <p>They will no longer see it, and cannot accept it.</p>,
			confirmLabel: 'Withdraw',
			run: async () => {
				await sharingApi.revokeInvitation(boardId, invitation.id)
				invitations.set((list) => list.filter((i) => i.id !== invitation.id))
			},
		})

	const hasInvitations = invitations.state.status === 'ready' && invitations.state.data.length > 0

	const reload = () => {
		members.reload()
		invitations.reload()
	}

	return (
		<div className="share-section" data-testid="share-members">
			{manage && <InviteForm boardId={boardId} onInvited={reload} />}
			{members.state.status === 'loading' && <ListLoading />}
			{members.state.status === 'error' && (
				<ListError message={members.state.message} onRetry={members.reload} />
			)}
			{members.state.status === 'ready' && (
				<ul className="share-list" data-testid="member-list">
					{members.state.data.map((member) => {
						const isHere = here.has(member.user.id)
						const isSelf = member.user.id === selfId
						return (
							<li
								key={member.user.id}
								className="share-row"
								data-testid="member-row"
								data-user-id={member.user.id}
								data-role={member.role}
							>
								<span className="share-row__avatar">
									<Avatar name={member.user.name} color={member.user.color} />
									<span
										className={`presence-dot${isHere ? ' is-here' : ''}`}
										data-testid="member-presence"
										data-here={isHere}
										title={isHere ? 'On the board now' : 'Not on the board now'}
									/>
								</span>
								<span className="share-row__main">
									<span className="share-row__title">
										{member.user.name}
										{isSelf && <span className="muted"> (you)</span>}
									</span>
									<span className="share-row__meta">
										{member.user.email}
										{isHere && <span className="here-now"> · here now</span>}
									</span>
									{rowError?.userId === member.user.id && (
										<span className="field-error" role="alert">
											{rowError.message}
										</span>
									)}
								</span>
								{manage && member.role !== 'owner' ? (
									<span className="share-row__actions">
										<select
											className="share-select"
											aria-label={`Role of ${member.user.name}`}
											data-testid="member-role-select"
											value={member.role}
											onChange={(e) => void changeRole(member, e.target.value as SeatRole)}
										>
											<option value="editor">Editor</option>
											<option value="viewer">Viewer</option>
										</select>
										<button
											type="button"
											className="arbor-button arbor-button--small arbor-button--quiet-danger"
											data-testid="member-remove"
											onClick={() => remove(member)}
										>
											Remove
										</button>
									</span>
								) : (
									<span className={`role-badge role-badge--${member.role}`}>
										{ROLE_NAMES[member.role]}
									</span>
								)}
							</li>
						)
					})}
					{members.state.data.length <= 1 && !hasInvitations && (
						<li className="share-empty" data-testid="members-empty">
							{manage
								? 'Just you so far. Invite someone by email above, or create a link in the Links tab.'
								: 'No one else is a member yet.'}
						</li>
					)}
				</ul>
			)}
			{manage && invitations.state.status === 'ready' && (
				<PendingInvitations invitations={invitations.state.data} onWithdraw={withdraw} />
			)}
			{members.state.status === 'ready' && (
				<Visitors
					people={people.filter(
						(person) =>
							members.state.status === 'ready' &&
							!members.state.data.some((m) => m.user.id === person.id),
					)}
				/>
			)}
			{confirm.element}
		</div>
	)
}

/** People in the room who are not members: guests who came through a link. */
function Visitors({ people }: { people: Person[] }) {
	if (people.length === 0) return null
	return (
		<div className="share-visitors" data-testid="share-visitors">
			<h3 className="share-subhead">Here now through a link</h3>
			<ul className="share-chips">
				{people.map((person) => (
					<li key={person.id} className="share-chip">
						<Avatar name={person.name} color={person.color} size="small" />
						{person.name}
					</li>
				))}
			</ul>
		</div>
	)
}

function InviteForm({ boardId, onInvited }: { boardId: string; onInvited(): void }) {
	const [email, setEmail] = useState('')
	const [role, setRole] = useState<SeatRole>('editor')
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const [done, setDone] = useState<string | null>(null)

	const submit = async (event: FormEvent) => {
		event.preventDefault()
		const trimmed = email.trim()
		if (!trimmed) {
			setError('Type the email address of the person to invite.')
			return
		}
		setBusy(true)
		setError(null)
		setDone(null)
		try {
			const added = await sharingApi.addMember(boardId, { email: trimmed, role })
			const as = role === 'editor' ? 'an editor' : 'a viewer'
			setEmail('')
			setDone(
				'invitation' in added
					? `Invited ${trimmed} as ${as}. The board reaches them when they accept.`
					: `${trimmed} is now ${as} on this board.`,
			)
			onInvited()
		} catch (failure) {
			setError(describeSharingError(failure, 'invite'))
		} finally {
			setBusy(false)
		}
	}

	return (
		<form className="share-form" onSubmit={submit} data-testid="invite-form">
			<div className="share-form__row">
				<input
					className="input"
					type="email"
					placeholder="name@studio.com"
					aria-label="Email of the person to invite"
					data-testid="invite-email"
					value={email}
					onChange={(e) => setEmail(e.target.value)}
				/>
				<select
					className="share-select"
					aria-label="Their role"
					data-testid="invite-role"
					value={role}
					onChange={(e) => setRole(e.target.value as SeatRole)}
				>
					<option value="editor">Editor</option>
					<option value="viewer">Viewer</option>
				</select>
				<button
					type="submit"
					className="arbor-button arbor-button--primary arbor-button--compact"
					data-testid="invite-submit"
					disabled={busy}
				>
					{busy ? 'Inviting…' : 'Invite'}
				</button>
			</div>
			{error && (
				<p className="field-error" role="alert" data-testid="invite-error">
					{error}
				</p>
			)}
			{done && (
				<p className="field-success" role="status">
					{done}
				</p>
			)}
			<p className="share-form__hint">
				They see the invitation on their boards page once they sign in with that email.
			</p>
		</form>
	)
}
