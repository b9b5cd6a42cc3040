import { z } from 'zod'
import { BoardSchema, MemberSchema, type Role, RoleSchema, UserSchema } from '../../shared/api'
import { BoardAccessSchema } from '../../shared/clientView'
import {
	AuditEntrySchema,
	BoardInvitationSchema,
	ClientViewSettingsSchema,
	type ClientViewUpdateSchema,
	GuestJoinedSchema,
	MyInvitationSchema,
	ShareInfoSchema,
	type ShareLinkCreate,
	ShareLinkCreatedSchema,
	ShareLinkSchema,
} from '../../shared/sharing'
import { request } from './client'

/** Adding someone: a current member's role changed (`member`), or an invitation sent. */
const MemberAddedBody = z.union([
	z.object({ member: MemberSchema.or(z.object({ user: UserSchema, role: RoleSchema })) }),
	z.object({ invitation: BoardInvitationSchema }),
])
const BoardInvitationsBody = z.object({ invitations: z.array(BoardInvitationSchema) })
const MyInvitationsBody = z.object({ invitations: z.array(MyInvitationSchema) })
const AcceptedBody = z.object({ board: BoardSchema, role: RoleSchema })
const LinksBody = z.object({ links: z.array(ShareLinkSchema) })
const LinkCreatedBody = z.object({ link: ShareLinkCreatedSchema })
const AuditBody = z.object({ entries: z.array(AuditEntrySchema) })
const PublicationsBody = z.object({
	imageIds: z.array(z.string()),
	settings: ClientViewSettingsSchema,
})
const SettingsBody = z.object({ settings: ClientViewSettingsSchema })

const board = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`
const share = (token: string) => `/api/share/${encodeURIComponent(token)}`

/** Teams, share links, guests, the client view and the audit log. Every call rejects with ApiError. */
export const sharingApi = {
	getBoardAccess: (boardId: string) => request(board(boardId), { schema: BoardAccessSchema }),

	/** Invites by email (or changes a current member's role): see `MemberAddedBody`. */
	addMember: (boardId: string, body: { email: string; role: Exclude<Role, 'owner'> }) =>
		request(`${board(boardId)}/members`, { method: 'POST', body, schema: MemberAddedBody }),
	/** The board's pending invitations (owners). */
	listInvitations: (boardId: string) =>
		request(`${board(boardId)}/invitations`, { schema: BoardInvitationsBody }).then(
			(b) => b.invitations,
		),
	revokeInvitation: (boardId: string, invitationId: string) =>
		request(`${board(boardId)}/invitations/${encodeURIComponent(invitationId)}`, {
			method: 'DELETE',
		}),
	/** Invitations waiting for the signed-in person. */
	myInvitations: () =>
		request('/api/invitations', { schema: MyInvitationsBody }).then((b) => b.invitations),
	acceptInvitation: (invitationId: string) =>
		request(`/api/invitations/${encodeURIComponent(invitationId)}/accept`, {
			method: 'POST',
			body: {},
			schema: AcceptedBody,
		}),
	declineInvitation: (invitationId: string) =>
		request(`/api/invitations/${encodeURIComponent(invitationId)}/decline`, {
			method: 'POST',
			body: {},
		}),
	changeMemberRole: (boardId: string, userId: string, role: Exclude<Role, 'owner'>) =>
		request(`${board(boardId)}/members/${encodeURIComponent(userId)}`, {
			method: 'PATCH',
			body: { role },
		}),
	removeMember: (boardId: string, userId: string) =>
		request(`${board(boardId)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' }),

	listLinks: (boardId: string) =>
		request(`${board(boardId)}/share-links`, { schema: LinksBody }).then((b) => b.links),
	createLink: (boardId: string, body: ShareLinkCreate) =>
		request(`${board(boardId)}/share-links`, {
			method: 'POST',
			body,
			schema: LinkCreatedBody,
		}).then((b) => b.link),
	revokeLink: (boardId: string, linkId: string) =>
		request(`${board(boardId)}/share-links/${encodeURIComponent(linkId)}`, { method: 'DELETE' }),

	/** What a link opens; no session needed. 404 unknown or revoked, 403 expired. */
	shareInfo: (token: string) => request(share(token), { schema: ShareInfoSchema }),
	/** Joins as a guest (sets the session cookie), or confirms an existing member's seat. */
	joinShare: (token: string, name: string) =>
		request(`${share(token)}/join`, {
			method: 'POST',
			body: { name },
			schema: GuestJoinedSchema,
		}),

	/** Published image ids and the client-view settings (editors and owners). */
	publications: (boardId: string, signal?: AbortSignal) =>
		request(`${board(boardId)}/publications`, { schema: PublicationsBody, signal }),
	publish: (boardId: string, imageId: string) =>
		request(`${board(boardId)}/publications/${encodeURIComponent(imageId)}`, { method: 'PUT' }),
	unpublish: (boardId: string, imageId: string) =>
		request(`${board(boardId)}/publications/${encodeURIComponent(imageId)}`, { method: 'DELETE' }),
	updateClientView: (boardId: string, body: z.input<typeof ClientViewUpdateSchema>) =>
		request(`${board(boardId)}/client-view`, {
			method: 'PATCH',
			body,
			schema: SettingsBody,
		}).then((b) => b.settings),

	audit: (boardId: string) =>
		request(`${board(boardId)}/audit`, { schema: AuditBody }).then((b) => b.entries),
}
