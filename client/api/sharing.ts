import { z } from 'zod'
import { MemberSchema, type Role, UserSchema } from '../../shared/api'
import { BoardAccessSchema } from '../../shared/clientView'
import {
	AuditEntrySchema,
	ClientViewSettingsSchema,
	type ClientViewUpdateSchema,
	GuestJoinedSchema,
	ShareInfoSchema,
	type ShareLinkCreate,
	ShareLinkCreatedSchema,
	ShareLinkSchema,
} from '../../shared/sharing'
import { request } from './client'

const MemberBody = z.object({ member: MemberSchema.or(z.object({ user: UserSchema })) })
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

	addMember: (boardId: string, body: { email: string; role: Exclude<Role, 'owner'> }) =>
		request(`${board(boardId)}/members`, { method: 'POST', body, schema: MemberBody }),
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
