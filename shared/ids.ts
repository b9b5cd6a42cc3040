import { z } from 'zod'

/**
 * Ids are opaque strings with a readable prefix (`job_…`, `img_…`) so a stray id in a log or a URL
 * says what it names. The server mints them; clients only pass them back.
 */
const idSchema = (prefix: string) =>
	z
		.string()
		.max(64)
		.regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]{6,60}$`), `must be a ${prefix}_… id`)

export const UserIdSchema = idSchema('usr')
export const BoardIdSchema = idSchema('brd')
export const JobIdSchema = idSchema('job')
export const ImageIdSchema = idSchema('img')
export const ShareLinkIdSchema = idSchema('lnk')
export const CommentIdSchema = idSchema('cmt')
export const InvitationIdSchema = idSchema('inv')

export type UserId = z.infer<typeof UserIdSchema>
export type BoardId = z.infer<typeof BoardIdSchema>
export type JobId = z.infer<typeof JobIdSchema>
export type ImageId = z.infer<typeof ImageIdSchema>

export const ID_PREFIXES = {
	user: 'usr',
	board: 'brd',
	job: 'job',
	image: 'img',
	shareLink: 'lnk',
	comment: 'cmt',
	workflow: 'wfl',
	invitation: 'inv',
} as const
