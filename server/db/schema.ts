import { sql } from 'drizzle-orm'
import {
	blob,
	index,
	integer,
	primaryKey,
	real,
	sqliteTable,
	text,
	uniqueIndex,
} from 'drizzle-orm/sqlite-core'
import { LEDGER_KINDS } from '../../shared/api'
import type { EngineRecord } from '../../shared/engines'
import { DECISION_STATES } from '../../shared/review'
import { AUDIT_ACTIONS, SHARE_LINK_ROLES } from '../../shared/sharing'
import type { WorkflowBindings, WorkflowGraph } from '../../shared/workflows'

// Times are integer milliseconds since the epoch: sortable, comparable in SQL, and turned into ISO
// strings only at the API edge.
const createdAt = () =>
	integer('created_at').notNull().default(sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`)

export const users = sqliteTable('users', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(),
	name: text('name').notNull(),
	/** `scrypt$N$r$p$salt$hash`, all base64. */
	passwordHash: text('password_hash').notNull(),
	color: text('color').notNull(),
	/** The first account of an instance administers it (grants credits, sets allowances). */
	isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
	/** Overrides the instance's default monthly allowance (ARBOR_MONTHLY_CREDITS) when set. */
	monthlyAllowance: real('monthly_allowance'),
	/**
	 * Set for a guest: someone who joined through this share link without an account. A guest has
	 * no password (the hash is unusable), reaches only the link's board, in the link's role, and
	 * only while the link is live.
	 */
	guestLinkId: text('guest_link_id'),
	createdAt: createdAt(),
})

export const sessions = sqliteTable(
	'sessions',
	{
		/** SHA-256 of the cookie token: a leaked database does not leak live sessions. */
		tokenHash: text('token_hash').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: createdAt(),
		expiresAt: integer('expires_at').notNull(),
	},
	(t) => [index('sessions_user').on(t.userId)],
)

export const boards = sqliteTable('boards', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	/** Optional cap on the credits all members together may spend on this board. */
	budgetCap: real('budget_cap'),
	/** The client view: what clients see beyond the pictures, and whether they may comment. */
	clientShowPrompts: integer('client_show_prompts', { mode: 'boolean' }).notNull().default(false),
	clientShowSeeds: integer('client_show_seeds', { mode: 'boolean' }).notNull().default(false),
	clientShowCosts: integer('client_show_costs', { mode: 'boolean' }).notNull().default(false),
	clientAllowComments: integer('client_allow_comments', { mode: 'boolean' })
		.notNull()
		.default(false),
	/** The model new prompts on this board ask for (the last one picked); null: the engine's own. */
	defaultModel: text('default_model'),
	createdBy: text('created_by')
		.notNull()
		.references(() => users.id),
	createdAt: createdAt(),
})

export const members = sqliteTable(
	'members',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ['owner', 'editor', 'viewer'] }).notNull(),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.boardId, t.userId] }), index('members_user').on(t.userId)],
)

/**
 * An invitation to a board: becomes a membership when the invitee accepts it. Addressed by email,
 * whether or not an account has it yet, so inviting says nothing about who has an account; whoever
 * signs in with that email sees it. One per board and email (inviting again updates the role).
 */
export const invitations = sqliteTable(
	'invitations',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		/** Lowercased, as accounts store theirs. */
		email: text('email').notNull(),
		role: text('role', { enum: ['editor', 'viewer'] }).notNull(),
		invitedBy: text('invited_by')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex('invitations_board_email').on(t.boardId, t.email),
		index('invitations_email').on(t.email),
	],
)

/**
 * A job is both the record of a request (lineage, cost, who) and, in embedded mode, its queue
 * entry (status, attempts, runAfter, lease).
 */
export const jobs = sqliteTable(
	'jobs',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		op: text('op').notNull(),
		opVersion: integer('op_version').notNull(),
		status: text('status', {
			enum: ['queued', 'running', 'done', 'failed', 'cancelled'],
		}).notNull(),
		prompt: text('prompt').notNull(),
		negativePrompt: text('negative_prompt'),
		params: text('params', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		seeds: text('seeds', { mode: 'json' }).$type<number[]>().notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		parentImageId: text('parent_image_id'),
		parentJobId: text('parent_job_id'),
		cost: real('cost').notNull(),
		/** The checks the request passed before it was queued (name, version, outcome). */
		checks: text('checks', { mode: 'json' })
			.$type<{ name: string; version: string; outcome: string }[]>()
			.notNull()
			.default([]),
		attempts: integer('attempts').notNull().default(0),
		maxAttempts: integer('max_attempts').notNull().default(3),
		/** Earliest time a queued job may start (retry backoff). */
		runAfter: integer('run_after').notNull().default(0),
		error: text('error'),
		createdBy: text('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
		startedAt: integer('started_at'),
		finishedAt: integer('finished_at'),
		/** The model the job asked for (routes it in queue mode); null: whichever engine's default. */
		model: text('model'),
	},
	(t) => [
		index('jobs_board').on(t.boardId, t.createdAt),
		index('jobs_queue').on(t.status, t.runAfter),
	],
)

export const images = sqliteTable(
	'images',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		jobId: text('job_id')
			.notNull()
			.references(() => jobs.id, { onDelete: 'cascade' }),
		index: integer('idx').notNull(),
		seed: integer('seed').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		/** Content address of the full PNG; the thumbnail is derived from it. */
		sha256: text('sha256').notNull(),
		backend: text('backend').notNull(),
		model: text('model').notNull(),
		version: text('version').notNull(),
		/** Which worker made it: `{ id, host }` (the server itself in embedded mode). */
		worker: text('worker', { mode: 'json' }).$type<{ id: string; host: string }>(),
		/** The engine's own record (model hash, sampler, steps, cfg, seed used); null before 0004. */
		engineRecord: text('engine_record', { mode: 'json' }).$type<EngineRecord>(),
		createdAt: createdAt(),
	},
	// One image per (job, index): a completion delivered twice cannot show twice.
	(t) => [
		uniqueIndex('images_job_index').on(t.jobId, t.index),
		index('images_board').on(t.boardId),
	],
)

/** Every Yjs update of a board, appended as it arrives and compacted now and then. */
export const yjsUpdates = sqliteTable(
	'yjs_updates',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		boardId: text('board_id').notNull(),
		update: blob('update', { mode: 'buffer' }).notNull(),
		createdAt: createdAt(),
	},
	(t) => [index('yjs_updates_board').on(t.boardId, t.id)],
)

/**
 * Canvas writes owed for committed records: a row is written in the same transaction as the job
 * change it mirrors and deleted once the board's doc holds it (`server/canvas/canvasOutbox.ts`),
 * so the doc is never ahead of the database and a write lost to a crash or a failure is made at
 * the next drain or start-up.
 */
export const canvasOutbox = sqliteTable('canvas_outbox', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	boardId: text('board_id').notNull(),
	jobId: text('job_id').notNull(),
	/** What to write, `CanvasWriteSchema` (parsed when drained). */
	write: text('write', { mode: 'json' }).$type<unknown>().notNull(),
	createdAt: createdAt(),
})

/**
 * The credit ledger: append-only. A balance is the sum of a user's entries; no mutable balance
 * exists to drift from it. Reservations are negative, refunds and grants positive.
 */
export const creditLedger = sqliteTable(
	'credit_ledger',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
		amount: real('amount').notNull(),
		/** The user's balance right after this entry (a check on the sum, and a cheap read). */
		balanceAfter: real('balance_after').notNull(),
		boardId: text('board_id'),
		jobId: text('job_id'),
		/** Monthly grants carry their period (`2026-11`) so each month is granted once. */
		period: text('period'),
		/** Who caused the entry (the user, an admin, the system). */
		actorId: text('actor_id'),
		note: text('note'),
		createdAt: createdAt(),
	},
	(t) => [
		index('ledger_user').on(t.userId, t.id),
		index('ledger_job').on(t.jobId),
		index('ledger_board').on(t.boardId),
		uniqueIndex('ledger_grant_period').on(t.userId, t.period),
	],
)

/** The instance's prompt policy: terms or patterns an admin blocks. Empty by default. */
export const policyRules = sqliteTable('policy_rules', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	kind: text('kind', { enum: ['term', 'pattern'] }).notNull(),
	/** A word or phrase (matched case-insensitively on word boundaries), or a JS regex source. */
	value: text('value').notNull(),
	note: text('note'),
	createdBy: text('created_by').references(() => users.id),
	createdAt: createdAt(),
})

/**
 * A team's own ComfyUI graph for an op (one per op), with its bindings: sent with every job of
 * that op in place of Arbor's built-in graph. Checked against ComfyUI's `/object_info` when saved.
 */
export const comfyWorkflows = sqliteTable('comfy_workflows', {
	op: text('op').primaryKey(),
	id: text('id').notNull(),
	name: text('name').notNull(),
	graph: text('graph', { mode: 'json' }).$type<WorkflowGraph>().notNull(),
	bindings: text('bindings', { mode: 'json' }).$type<WorkflowBindings>().notNull(),
	createdBy: text('created_by').references(() => users.id),
	createdAt: createdAt(),
})

/** A link that opens a board in a role (viewer, editor) or its client view, until revoked or expired. */
export const shareLinks = sqliteTable(
	'share_links',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		role: text('role', { enum: SHARE_LINK_ROLES }).notNull(),
		/** SHA-256 of the token in the url: a leaked database does not leak live links. */
		tokenHash: text('token_hash').notNull().unique(),
		label: text('label').notNull().default(''),
		createdBy: text('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
		expiresAt: integer('expires_at'),
		revokedAt: integer('revoked_at'),
	},
	(t) => [index('share_links_board').on(t.boardId)],
)

/**
 * Review decisions, append-only: each row moves one image from `previous` to `state`. An image's
 * current state is its latest row.
 */
export const decisions = sqliteTable(
	'decisions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		imageId: text('image_id')
			.notNull()
			.references(() => images.id, { onDelete: 'cascade' }),
		state: text('state', { enum: DECISION_STATES }).notNull(),
		previous: text('previous', { enum: DECISION_STATES }).notNull(),
		actorId: text('actor_id')
			.notNull()
			.references(() => users.id),
		/** The upscale a commit started. */
		jobId: text('job_id'),
		createdAt: createdAt(),
	},
	(t) => [
		index('decisions_board').on(t.boardId, t.id),
		index('decisions_image').on(t.imageId, t.id),
	],
)

/** Comments anchored to a candidate; replies name their parent (one level of threads). */
export const comments = sqliteTable(
	'comments',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		imageId: text('image_id')
			.notNull()
			.references(() => images.id, { onDelete: 'cascade' }),
		parentId: text('parent_id'),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id),
		body: text('body').notNull(),
		createdAt: createdAt(),
		resolvedAt: integer('resolved_at'),
		resolvedBy: text('resolved_by'),
	},
	(t) => [
		index('comments_image').on(t.imageId, t.createdAt),
		index('comments_board').on(t.boardId),
	],
)

/** Images an owner published to the board's client view. */
export const publications = sqliteTable(
	'publications',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		imageId: text('image_id')
			.notNull()
			.references(() => images.id, { onDelete: 'cascade' }),
		publishedBy: text('published_by')
			.notNull()
			.references(() => users.id),
		createdAt: createdAt(),
	},
	(t) => [primaryKey({ columns: [t.boardId, t.imageId] })],
)

/** Who did what to a board's access, review and publication: append-only, read by owners. */
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		/** Null for the system. */
		actorId: text('actor_id'),
		action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
		target: text('target'),
		detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
		createdAt: createdAt(),
	},
	(t) => [index('audit_board').on(t.boardId, t.id)],
)

/**
 * What a prompt costs on a model, set by an instance admin (a model without a row costs the
 * catalogue's); every op on the model scales by the same ratio.
 */
export const modelPrices = sqliteTable('model_prices', {
	model: text('model').primaryKey(),
	/** Credits a prompt (a grid of four 512² candidates) costs on this model. */
	price: real('price').notNull(),
	updatedBy: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
	updatedAt: integer('updated_at').notNull(),
})
