import { z } from 'zod'
import { PersonSchema, UserSchema } from './api'
import { BoardIdSchema, InvitationIdSchema, ShareLinkIdSchema } from './ids'

// ---- share links ------------------------------------------------------------------------------

/** What a share link grants: a seat on the board (viewer, editor) or the published client view. */
export const SHARE_LINK_ROLES = ['viewer', 'editor', 'client'] as const
export const ShareLinkRoleSchema = z.enum(SHARE_LINK_ROLES)
export type ShareLinkRole = z.infer<typeof ShareLinkRoleSchema>

export const ShareLinkCreateSchema = z
	.object({
		role: ShareLinkRoleSchema,
		/** ISO time; must be in the future. Absent or null: the link lasts until revoked. */
		expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
		/** A note for the owner's list ("Acme review, Friday"). */
		label: z.string().trim().max(80).optional(),
	})
	.strict()
export type ShareLinkCreate = z.infer<typeof ShareLinkCreateSchema>

export const ShareLinkSchema = z.object({
	id: ShareLinkIdSchema,
	role: ShareLinkRoleSchema,
	label: z.string(),
	createdBy: PersonSchema,
	createdAt: z.string(),
	expiresAt: z.string().nullable(),
	revokedAt: z.string().nullable(),
	/** `active`, or why the link no longer opens. */
	state: z.enum(['active', 'expired', 'revoked']),
	/** Guests who joined through the link. */
	guests: z.number().int(),
})
export type ShareLink = z.infer<typeof ShareLinkSchema>

/** The creation response: the token and url are shown once (only a hash is stored). */
export const ShareLinkCreatedSchema = ShareLinkSchema.extend({
	token: z.string(),
	url: z.string(),
})
export type ShareLinkCreated = z.infer<typeof ShareLinkCreatedSchema>

/** `GET /api/share/:token`: what a link opens, before joining. */
export const ShareInfoSchema = z.object({
	board: z.object({ id: BoardIdSchema, name: z.string() }),
	role: ShareLinkRoleSchema,
	expiresAt: z.string().nullable(),
})
export type ShareInfo = z.infer<typeof ShareInfoSchema>

export const GuestJoinSchema = z
	.object({ name: z.string().trim().min(1, 'name is empty').max(60) })
	.strict()

export const GuestJoinedSchema = z.object({
	user: UserSchema,
	boardId: BoardIdSchema,
	role: ShareLinkRoleSchema.or(z.literal('owner')),
})

// ---- client view ------------------------------------------------------------------------------

/** What the owner lets clients see and do on the published view. All off by default. */
export const ClientViewSettingsSchema = z.object({
	showPrompts: z.boolean(),
	showSeeds: z.boolean(),
	showCosts: z.boolean(),
	/** View + comment (and approve) instead of view only. */
	allowComments: z.boolean(),
})
export type ClientViewSettings = z.infer<typeof ClientViewSettingsSchema>

export const ClientViewUpdateSchema = ClientViewSettingsSchema.partial().strict()

// ---- audit ------------------------------------------------------------------------------------

export const AUDIT_ACTIONS = [
	'member.added',
	'member.role_changed',
	'member.removed',
	'member.invited',
	'invitation.revoked',
	'invitation.declined',
	'share_link.created',
	'share_link.revoked',
	'share_link.joined',
	'decision.set',
	'pick.committed',
	'publication.added',
	'publication.removed',
	'client_view.updated',
] as const
export const AuditActionSchema = z.enum(AUDIT_ACTIONS)
export type AuditAction = z.infer<typeof AuditActionSchema>

export const AuditEntrySchema = z.object({
	id: z.number().int(),
	/** Null for the system. */
	actor: PersonSchema.nullable(),
	action: AuditActionSchema,
	/** What it was done to: a user, link or image id. */
	target: z.string().nullable(),
	detail: z.record(z.string(), z.unknown()),
	at: z.string(),
})
export type AuditEntry = z.infer<typeof AuditEntrySchema>

// ---- invitations ------------------------------------------------------------------------------

/** A pending invitation as the board's owner sees it (`GET …/invitations`). */
export const BoardInvitationSchema = z.object({
	id: InvitationIdSchema,
	email: z.string(),
	role: z.enum(['editor', 'viewer']),
	invitedBy: PersonSchema,
	createdAt: z.string(),
})
export type BoardInvitation = z.infer<typeof BoardInvitationSchema>

/** A pending invitation as its invitee sees it (`GET /api/invitations`). */
export const MyInvitationSchema = z.object({
	id: InvitationIdSchema,
	board: z.object({ id: BoardIdSchema, name: z.string() }),
	role: z.enum(['editor', 'viewer']),
	invitedBy: PersonSchema,
	createdAt: z.string(),
})
export type MyInvitation = z.infer<typeof MyInvitationSchema>

export const InvitationParamSchema = z.object({ invitationId: InvitationIdSchema })
