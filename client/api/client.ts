import { z } from 'zod'
import {
	type AccessRole,
	BoardSchema,
	BoardSummarySchema,
	type BoardUpdateSchema,
	type CreditGrantSchema,
	type Image,
	type ImageFileSize,
	ImageSchema,
	JobSchema,
	type LineageStep,
	MemberSchema,
	UserSchema,
} from '../../shared/api'
import {
	type ClientImage,
	ClientImageSchema,
	type ClientLineageStep,
	ClientLineageStepSchema,
} from '../../shared/clientView'
import { EnginesReplySchema, ModelsReplySchema } from '../../shared/engines'
import { ErrorBodySchema } from '../../shared/errors'
import { AdminModelsReplySchema, type ModelPriceSet } from '../../shared/modelPrices'
import type { JobCreateSchema } from '../../shared/ops/catalogue'
import { BoardQueueSchema } from '../../shared/queue'
import {
	AdminGrantBodySchema,
	AdminUsersBodySchema,
	BoardUsageSchema,
	MeBodySchema,
	OpsBodySchema,
	UserUsageBodySchema,
} from './budgetBodies'
import {
	FinalsBodySchema,
	LineageBodySchema,
	QuoteSchema,
	UploadBodySchema,
} from './steeringBodies'

/**
 * An error the API answered with (`{ error: { code, message } }`), or a transport failure
 * (`code: 'network'`). Branch on `code`, never on `message`.
 */
export class ApiError extends Error {
	readonly status: number
	readonly code: string

	constructor(options: { status: number; code: string; message: string }) {
		super(options.message)
		this.name = 'ApiError'
		this.status = options.status
		this.code = options.code
	}
}

export function isApiError(error: unknown): error is ApiError {
	return error instanceof ApiError
}

interface RequestOptions<S extends z.ZodType> {
	method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
	body?: unknown
	/** Sent as it is (an uploaded file) instead of JSON. */
	raw?: { body: Blob; contentType: string }
	/** The success body's schema; omit for empty (204) answers. */
	schema?: S
	signal?: AbortSignal
}

/**
 * One API call: JSON in, the body parsed with `schema` out; any non-2xx answer is an ApiError.
 * Feature modules (api/sharing.ts, api/review.ts) build their calls on it.
 */
export async function request<S extends z.ZodType>(
	path: string,
	options: RequestOptions<S> = {},
): Promise<z.infer<S>> {
	let response: Response
	try {
		const { raw } = options
		response = await fetch(path, {
			method: options.method ?? 'GET',
			credentials: 'same-origin',
			headers: raw
				? { 'content-type': raw.contentType }
				: options.body === undefined
					? undefined
					: { 'content-type': 'application/json' },
			body: raw ? raw.body : options.body === undefined ? undefined : JSON.stringify(options.body),
			signal: options.signal,
		})
	} catch (error) {
		if (error instanceof DOMException && error.name === 'AbortError') throw error
		throw new ApiError({ status: 0, code: 'network', message: 'Could not reach the server.' })
	}
	const text = await response.text()
	const json = text ? safeJson(text) : undefined
	if (!response.ok) {
		const parsed = ErrorBodySchema.safeParse(json)
		throw new ApiError({
			status: response.status,
			code: parsed.success ? parsed.data.error.code : `http_${response.status}`,
			message: parsed.success ? parsed.data.error.message : response.statusText,
		})
	}
	if (!options.schema) return undefined as z.infer<S>
	const parsed = options.schema.safeParse(json)
	if (!parsed.success) {
		throw new ApiError({
			status: response.status,
			code: 'bad_response',
			message: `Unexpected answer from ${path}: ${parsed.error.message}`,
		})
	}
	return parsed.data
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text)
	} catch {
		// Not JSON (a proxy's HTML error page, say): the status code still tells the story.
		return undefined
	}
}

const UserBody = z.object({ user: UserSchema })
const BoardsBody = z.object({ boards: z.array(BoardSummarySchema) })
const BoardBody = z.object({ board: BoardSchema })
const MembersBody = z.object({ members: z.array(MemberSchema) })
const JobBody = z.object({ job: JobSchema })
const ImageBody = z.object({ image: ImageSchema })
const ClientImageBody = z.object({ image: ClientImageSchema })
const ClientLineageBody = z.object({ lineage: z.array(ClientLineageStepSchema) })

/**
 * An image's details as the reader's role gets them: the full record for members, the stripped
 * one for a client (no worker or checks; prompt, seed and cost only when the owner shows them).
 * Render absent fields as absent, never as "undefined".
 */
export type ImageDetails = Image | ClientImage
/** A lineage step as the reader's role gets it (see {@link ImageDetails}). */
export type LineageStepDetails = LineageStep | ClientLineageStep

/** Options of the reads whose answer depends on who asks. */
export interface RoleReadOptions {
	/**
	 * The reader's role on the board. A client's answers are parsed with the client shapes
	 * (`shared/clientView.ts`): the server leaves hidden fields out, which the member schemas
	 * would refuse as a malformed answer.
	 */
	role?: AccessRole
	signal?: AbortSignal
}

const board = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`

/** The one typed client for Arbor's HTTP API. Every call rejects with an {@link ApiError}. */
export const api = {
	/** Who is signed in, and their credits (balance, allowance, this period's spending). */
	me: () => request('/api/me', { schema: MeBodySchema }),
	myUsage: () => request('/api/me/usage', { schema: UserUsageBodySchema }).then((b) => b.usage),
	listOps: () => request('/api/ops', { schema: OpsBodySchema }).then((b) => b.ops),
	/** The models online now, each with what a prompt costs on it (the model picker). */
	listModels: () => request('/api/models', { schema: ModelsReplySchema }).then((b) => b.models),
	/** The engines online now and what each can do (the steering bar offers only those ops). */
	listEngines: () => request('/api/engines', { schema: EnginesReplySchema }).then((b) => b.engines),
	signup: (body: { email: string; password: string; name: string }) =>
		request('/api/auth/signup', { method: 'POST', body, schema: UserBody }).then((b) => b.user),
	login: (body: { email: string; password: string }) =>
		request('/api/auth/login', { method: 'POST', body, schema: UserBody }).then((b) => b.user),
	logout: () => request('/api/auth/logout', { method: 'POST' }),

	listBoards: () => request('/api/boards', { schema: BoardsBody }).then((b) => b.boards),
	createBoard: (name: string) =>
		request('/api/boards', { method: 'POST', body: { name }, schema: BoardBody }).then(
			(b) => b.board,
		),
	/** Owner only. `budgetCap: null` removes the cap. */
	updateBoard: (boardId: string, body: z.input<typeof BoardUpdateSchema>) =>
		request(board(boardId), { method: 'PATCH', body, schema: BoardBody }).then((b) => b.board),
	boardUsage: (boardId: string) => request(`${board(boardId)}/usage`, { schema: BoardUsageSchema }),
	/** Pending and running jobs, in the order they run; 404 on servers without a queue view. */
	boardQueue: (boardId: string, signal?: AbortSignal) =>
		request(`${board(boardId)}/queue`, { schema: BoardQueueSchema, signal }).then((b) => b.jobs),
	listMembers: (boardId: string) =>
		request(`${board(boardId)}/members`, { schema: MembersBody }).then((b) => b.members),

	/** Defaults the server fills (chaos, stylize, …) may be left out: the body is the schema's input. */
	createJob: (boardId: string, body: z.input<typeof JobCreateSchema>) =>
		request(`${board(boardId)}/jobs`, { method: 'POST', body, schema: JobBody }).then((b) => b.job),
	getJob: (boardId: string, jobId: string) =>
		request(`${board(boardId)}/jobs/${encodeURIComponent(jobId)}`, { schema: JobBody }).then(
			(b) => b.job,
		),
	cancelJob: (boardId: string, jobId: string) =>
		request(`${board(boardId)}/jobs/${encodeURIComponent(jobId)}/cancel`, {
			method: 'POST',
			schema: JobBody,
		}).then((b) => b.job),
	retryJob: (boardId: string, jobId: string) =>
		request(`${board(boardId)}/jobs/${encodeURIComponent(jobId)}/retry`, {
			method: 'POST',
			schema: JobBody,
		}).then((b) => b.job),

	admin: {
		listUsers: () =>
			request('/api/admin/users', { schema: AdminUsersBodySchema }).then((b) => b.users),
		/** `amount` may be negative (a correction); never 0. */
		grantCredits: (userId: string, body: z.input<typeof CreditGrantSchema>) =>
			request(`/api/admin/users/${encodeURIComponent(userId)}/credits`, {
				method: 'POST',
				body,
				schema: AdminGrantBodySchema,
			}).then((b) => b.credits),
		/** Online and priced models with what a prompt costs on each. */
		listModelPrices: () => request('/api/admin/model-prices', { schema: AdminModelsReplySchema }),
		/** `price: null` gives the model the catalogue's price back. */
		setModelPrice: (body: ModelPriceSet) =>
			request('/api/admin/model-prices', {
				method: 'PUT',
				body,
				schema: AdminModelsReplySchema,
			}),
		/** `null` returns the user to the instance default allowance. */
		setAllowance: (userId: string, monthlyAllowance: number | null) =>
			request(`/api/admin/users/${encodeURIComponent(userId)}`, {
				method: 'PATCH',
				body: { monthlyAllowance },
			}),
	},

	getImage: (
		boardId: string,
		imageId: string,
		options: RoleReadOptions = {},
	): Promise<ImageDetails> =>
		request(`${board(boardId)}/images/${encodeURIComponent(imageId)}`, {
			schema: options.role === 'client' ? ClientImageBody : ImageBody,
			signal: options.signal,
		}).then((b) => b.image),

	/** The exact price of a request (and the balance now), without running it. 404 on older servers. */
	quoteJob: (boardId: string, body: z.input<typeof JobCreateSchema>) =>
		request(`${board(boardId)}/jobs/quote`, { method: 'POST', body, schema: QuoteSchema }),
	/** An image's ancestors, root first, ending with the image itself. */
	getLineage: (
		boardId: string,
		imageId: string,
		options: RoleReadOptions = {},
	): Promise<LineageStepDetails[]> =>
		request(`${board(boardId)}/images/${encodeURIComponent(imageId)}/lineage`, {
			schema: options.role === 'client' ? ClientLineageBody : LineageBodySchema,
			signal: options.signal,
		}).then((b) => b.lineage),
	/** Every final (upscaled) image of the board with its lineage. */
	listFinals: (boardId: string, signal?: AbortSignal) =>
		request(`${board(boardId)}/finals`, { schema: FinalsBodySchema, signal }).then((b) => b.finals),
	/** Puts an image file on the board as an upload node centred on `at` (page coordinates). */
	uploadImage: (
		boardId: string,
		file: { body: Blob; contentType: string },
		at: { x: number; y: number },
	) =>
		request(`${board(boardId)}/uploads?x=${Math.round(at.x)}&y=${Math.round(at.y)}`, {
			method: 'POST',
			raw: file,
			schema: UploadBodySchema,
		}),
}

/** The full-size PNG with its provenance embedded, as a download. */
export function imageDownloadUrl(boardId: string, imageId: string): string {
	return `${imageFileUrl(boardId, imageId, 'full')}&download=1`
}

/** The board's whole derivation DAG (nodes, edges, params) as a JSON download. */
export function lineageExportUrl(boardId: string): string {
	return `${board(boardId)}/lineage.json`
}

/** Every final of the board (PNGs with provenance) and the lineage, zipped. */
export function finalsZipUrl(boardId: string): string {
	return `${board(boardId)}/finals.zip`
}

/**
 * URL of an image's pixels: `thumb` a WebP for the canvas and panels, `small` a smaller one for
 * cells zoomed far out (`thumbSizeFor`), `full` the original PNG.
 */
export function imageFileUrl(boardId: string, imageId: string, size: ImageFileSize): string {
	return `${board(boardId)}/images/${encodeURIComponent(imageId)}/file?size=${size}`
}
