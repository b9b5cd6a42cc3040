import { z } from 'zod'
import { EngineRecordSchema } from './engines'
import { BoardIdSchema, ImageIdSchema, JobIdSchema, UserIdSchema } from './ids'

// ---- accounts -------------------------------------------------------------------------------

export const EmailSchema = z.string().trim().toLowerCase().max(254).email('not an email address')

export const SignupSchema = z
	.object({
		email: EmailSchema,
		password: z.string().min(8, 'password needs at least 8 characters').max(200),
		name: z.string().trim().min(1, 'name is empty').max(80),
	})
	.strict()
export type Signup = z.infer<typeof SignupSchema>

export const LoginSchema = z
	.object({ email: EmailSchema, password: z.string().min(1).max(200) })
	.strict()
export type Login = z.infer<typeof LoginSchema>

export const UserSchema = z.object({
	id: UserIdSchema,
	email: z.string(),
	name: z.string(),
	/** A stable colour for cursors and avatars, `#rrggbb`. */
	color: z.string(),
	isAdmin: z.boolean().optional(),
	/** Joined through a share link, without an account: reaches only that link's board. */
	isGuest: z.boolean().optional(),
})
export type User = z.infer<typeof UserSchema>

// ---- credits --------------------------------------------------------------------------------

export const CreditsSchema = z.object({
	balance: z.number(),
	/** This month's allowance (the instance default unless an admin set one). */
	allowance: z.number(),
	period: z.string(),
	/** Spent this period (reservations net of refunds). */
	spent: z.number(),
	/** Held by unfinished jobs. */
	reserved: z.number(),
})
export type Credits = z.infer<typeof CreditsSchema>

export const CreditGrantSchema = z
	.object({
		amount: z
			.number()
			.finite()
			// Credits are counted to the cent: 0.001 would be stored as a 0-credit grant.
			.refine((n) => Math.round(Math.abs(n) * 100) !== 0, 'amount must be at least 0.01 credits')
			.refine((n) => Math.abs(n) <= 1_000_000, 'amount is too large'),
		note: z.string().trim().max(200).default(''),
	})
	.strict()

export const UserLimitsSchema = z
	.object({ monthlyAllowance: z.number().int().min(0).max(10_000_000).nullable() })
	.strict()

export const BoardUpdateSchema = z
	.object({
		name: z.string().trim().min(1).max(120).optional(),
		/** Credits all members together may spend on the board; null removes the cap. */
		budgetCap: z.number().min(0).max(10_000_000).nullable().optional(),
	})
	.strict()

/** The credit ledger's entry kinds (server/db/schema.ts stores these). */
export const LEDGER_KINDS = ['grant', 'reservation', 'settlement', 'refund', 'adjustment'] as const

export const LedgerEntrySchema = z.object({
	id: z.number(),
	kind: z.enum(LEDGER_KINDS),
	amount: z.number(),
	balanceAfter: z.number(),
	boardId: z.string().nullable(),
	jobId: z.string().nullable(),
	/** The job's op and prompt (null for grants and adjustments); absent from older servers. */
	op: z.string().nullable().optional(),
	prompt: z.string().nullable().optional(),
	note: z.string().nullable(),
	createdAt: z.string(),
})
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>

export const UsageRowSchema = z.object({
	key: z.string(),
	label: z.string(),
	credits: z.number(),
	jobs: z.number(),
})
export type UsageRow = z.infer<typeof UsageRowSchema>

// ---- boards ---------------------------------------------------------------------------------

export const ROLES = ['owner', 'editor', 'viewer'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

/**
 * Every way to reach a board: a member's role, or `client` — someone holding a client link, who
 * sees only the published projection of the board (below viewer: `boardAccess('viewer')` refuses
 * them).
 */
export const ACCESS_ROLES = [...ROLES, 'client'] as const
export const AccessRoleSchema = z.enum(ACCESS_ROLES)
export type AccessRole = z.infer<typeof AccessRoleSchema>

export function canEdit(role: AccessRole): boolean {
	return role === 'owner' || role === 'editor'
}

export const BoardCreateSchema = z
	.object({ name: z.string().trim().min(1, 'name is empty').max(120) })
	.strict()

export const BoardSchema = z.object({
	id: BoardIdSchema,
	name: z.string(),
	budgetCap: z.number().nullable().optional(),
	/** The model the board's prompts ask for (the last one picked); null: the engine's default. */
	defaultModel: z.string().nullable().optional(),
	createdBy: UserIdSchema,
	createdAt: z.string(),
})
export type Board = z.infer<typeof BoardSchema>

/**
 * A board in its member's list: their role, who owns it, and the newest image on it (the card's
 * thumbnail; null on an empty board). `owner`/`coverImageId` are absent from older servers.
 */
export const BoardSummarySchema = BoardSchema.extend({
	role: RoleSchema,
	owner: z.object({ id: UserIdSchema, name: z.string() }).optional(),
	coverImageId: z.string().nullable().optional(),
})
export type BoardSummary = z.infer<typeof BoardSummarySchema>

export const MemberAddSchema = z
	.object({ email: EmailSchema, role: RoleSchema.exclude(['owner']) })
	.strict()

export const MemberRoleSchema = z.object({ role: RoleSchema.exclude(['owner']) }).strict()

/**
 * A board member as `GET …/members` shows them. Emails only to people who work on the board with
 * an account (owners and editors); viewers, clients and every link guest get names. Nobody gets
 * the instance's admin flag: a board is not the place to learn who runs the instance.
 */
export const MemberUserSchema = UserSchema.omit({ email: true, isAdmin: true }).extend({
	email: z.string().optional(),
})
export const MemberSchema = z.object({
	user: MemberUserSchema,
	role: RoleSchema,
})
export type Member = z.infer<typeof MemberSchema>

// ---- jobs and images ------------------------------------------------------------------------

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const
export const JobStatusSchema = z.enum(JOB_STATUSES)
export type JobStatus = z.infer<typeof JobStatusSchema>

export function isJobFinished(status: JobStatus): boolean {
	return status === 'done' || status === 'failed' || status === 'cancelled'
}

export const ImageSummarySchema = z.object({
	id: ImageIdSchema,
	index: z.number().int(),
	width: z.number().int(),
	height: z.number().int(),
	seed: z.number().int(),
})
export type ImageSummary = z.infer<typeof ImageSummarySchema>

export const PersonSchema = z.object({ id: UserIdSchema, name: z.string() })

export const JobSchema = z.object({
	id: JobIdSchema,
	boardId: BoardIdSchema,
	op: z.string(),
	status: JobStatusSchema,
	prompt: z.string(),
	params: z.record(z.string(), z.unknown()),
	parentImageId: ImageIdSchema.nullable(),
	parentJobId: JobIdSchema.nullable(),
	width: z.number().int(),
	height: z.number().int(),
	cost: z.number(),
	attempts: z.number().int(),
	error: z.string().nullable(),
	createdBy: PersonSchema,
	createdAt: z.string(),
	startedAt: z.string().nullable(),
	finishedAt: z.string().nullable(),
	images: z.array(ImageSummarySchema),
	/** The model the job asked for; null: the engine's default. */
	model: z.string().nullable().optional(),
})
export type Job = z.infer<typeof JobSchema>

/** Where an image came from: everything needed to explain or reproduce it. */
export const ImageSchema = z.object({
	/** The model its job asked for (null: the engine's default); `model` is what made it. */
	requestedModel: z.string().nullable().optional(),
	id: ImageIdSchema,
	boardId: BoardIdSchema,
	jobId: JobIdSchema,
	index: z.number().int(),
	op: z.string(),
	opVersion: z.number().int(),
	prompt: z.string(),
	negativePrompt: z.string().nullable(),
	seed: z.number().int(),
	params: z.record(z.string(), z.unknown()),
	parentImageId: ImageIdSchema.nullable(),
	backend: z.string(),
	model: z.string(),
	version: z.string(),
	width: z.number().int(),
	height: z.number().int(),
	sha256: z.string(),
	cost: z.number(),
	/** The worker that made it (`embedded` when the server ran it itself); null for older images. */
	worker: z.object({ id: z.string(), host: z.string() }).nullable(),
	/** The engine's own record (sampler, steps, cfg, seed used…); null for images before it. */
	engine: EngineRecordSchema.nullable().optional(),
	/** The checks the request passed before it was queued (policy name, version, outcome). */
	checks: z
		.array(z.object({ name: z.string(), version: z.string(), outcome: z.string() }))
		.optional(),
	createdBy: PersonSchema,
	createdAt: z.string(),
})
export type Image = z.infer<typeof ImageSchema>

/**
 * Sizes of an image file: `small` a WebP for cells zoomed far out, `thumb` a WebP for the canvas
 * and panels (long edges in `THUMBNAIL_EDGES`), `full` the stored PNG.
 */
export const ImageFileSizeSchema = z.enum(['small', 'thumb', 'full'])
export type ImageFileSize = z.infer<typeof ImageFileSizeSchema>

/**
 * Long edge (px) of each WebP size, shared so the client knows which one a cell on screen needs.
 * `thumb`: a 200-unit canvas cell on a 2× screen, with a little zoom headroom. `small`: a cell
 * zoomed out to ≤ 128 device pixels (zoom ≤ 0.5 on a 1× screen) — drawing a 384-px thumbnail into
 * a ~50-px cell made Chromium downscale every one of them on every frame of a pan.
 */
export const THUMBNAIL_EDGES = { small: 128, thumb: 384 } as const

export const ImageFileQuerySchema = z.object({ size: ImageFileSizeSchema.default('full') })

// ---- policy ---------------------------------------------------------------------------------

export const PolicyRuleCreateSchema = z
	.object({
		kind: z.enum(['term', 'pattern']),
		value: z.string().trim().min(1, 'value is empty').max(200),
		note: z.string().trim().max(200).optional(),
	})
	.strict()

/** One step of an image's ancestry (`GET …/images/:imageId/lineage`, root first). */
export const LineageStepSchema = z.object({
	/** Null for a rerolled grid: the step is the whole grid, not one of its images. */
	imageId: z.string().nullable(),
	jobId: z.string(),
	index: z.number().int().nullable(),
	op: z.string(),
	opVersion: z.number().int(),
	prompt: z.string(),
	negativePrompt: z.string().nullable().optional(),
	params: z.record(z.string(), z.unknown()),
	/** Null for a rerolled grid, and for an image whose engine does not honour seeds. */
	seed: z.number().nullable(),
	width: z.number().int(),
	height: z.number().int(),
	/** The engine that made the step's image (null for a rerolled grid's step). */
	engine: z.string().nullable().optional(),
	/** The model that made it (a grid's step: the model its job asked for, null for the default). */
	model: z.string().nullable().optional(),
	createdAt: z.string(),
})
export type LineageStep = z.infer<typeof LineageStepSchema>
