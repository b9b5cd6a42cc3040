import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { EngineRefusedError, httpError, networkError } from '../errors'
import {
	type ApiGraph,
	type BinaryPreview,
	describePromptError,
	type HistoryEntry,
	HistoryEntrySchema,
	type ImageRef,
	ObjectInfoSchema,
	PromptReplySchema,
	parseBinaryFrame,
	SystemStatsSchema,
	UploadReplySchema,
	type WsFrame,
	WsFrameSchema,
} from './protocol'

export const ENGINE = 'ComfyUI'

/** What one prompt hears on the websocket. */
export interface PromptListener {
	frame(frame: WsFrame): void
	preview(preview: BinaryPreview): void
}

export interface ComfyClientOptions {
	/** `ARBOR_COMFYUI_URL`, e.g. `http://127.0.0.1:8188`. */
	url: string
	/** How long a websocket reconnect waits. Default 1000 ms. */
	reconnectMs?: number
}

/**
 * A small hand-written ComfyUI client: HTTP calls with Arbor's error classes (4xx refused, 5xx
 * and network failures retryable) and one websocket per client id, its frames routed to the
 * prompt they name. Binary type-1 previews name no prompt: they go to the prompt executing now.
 */
export class ComfyClient {
	readonly clientId = randomUUID()
	private readonly base: string
	private socket: WebSocket | null = null
	private opening: Promise<void> | null = null
	private readonly listeners = new Map<string, PromptListener>()
	private executing: string | null = null
	private closed = false
	private featuresKnown: Promise<boolean> | null = null

	constructor(private readonly options: ComfyClientOptions) {
		this.base = options.url.replace(/\/+$/, '')
	}

	private async call(
		path: string,
		init: RequestInit & { signal?: AbortSignal },
	): Promise<Response> {
		let res: Response
		try {
			res = await fetch(`${this.base}${path}`, init)
		} catch (err) {
			throw networkError(ENGINE, err)
		}
		return res
	}

	private async json(path: string, init: RequestInit & { signal?: AbortSignal } = {}) {
		const res = await this.call(path, init)
		const text = await res.text()
		let body: unknown = null
		try {
			body = text ? JSON.parse(text) : null
		} catch {
			body = text
		}
		if (!res.ok) {
			const message =
				res.status === 400 && path === '/prompt'
					? describePromptError(body)
					: `${path} answered ${res.status}: ${String(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 300)}`
			throw httpError(ENGINE, res.status, message)
		}
		return body
	}

	/** Whether this build has `/features` (and with it `/api/jobs/{id}/cancel`). Cached. */
	hasFeatures(signal?: AbortSignal): Promise<boolean> {
		this.featuresKnown ??= this.call('/features', { signal }).then(
			async (res) => {
				await res.body?.cancel()
				return res.ok
			},
			(err: unknown) => {
				this.featuresKnown = null
				throw err
			},
		)
		return this.featuresKnown
	}

	async checkpoints(signal?: AbortSignal): Promise<string[]> {
		const body = await this.json('/models/checkpoints', { signal })
		return Array.isArray(body) ? body.filter((n): n is string => typeof n === 'string') : []
	}

	async upscaleModels(signal?: AbortSignal): Promise<string[]> {
		const res = await this.call('/models/upscale_models', { signal })
		if (res.status === 404) return []
		if (!res.ok)
			throw httpError(ENGINE, res.status, `/models/upscale_models answered ${res.status}`)
		const body: unknown = await res.json()
		return Array.isArray(body) ? body.filter((n): n is string => typeof n === 'string') : []
	}

	async systemStats(signal?: AbortSignal) {
		return SystemStatsSchema.parse(await this.json('/system_stats', { signal }))
	}

	async objectInfo(signal?: AbortSignal) {
		return ObjectInfoSchema.parse(await this.json('/object_info', { signal }))
	}

	/** Uploads an input image; returns the name a `LoadImage` node takes. */
	async upload(png: Uint8Array, filename: string, signal?: AbortSignal): Promise<string> {
		const form = new FormData()
		form.append(
			'image',
			new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }),
			filename,
		)
		form.append('type', 'input')
		form.append('overwrite', 'true')
		const reply = UploadReplySchema.parse(
			await this.json('/upload/image', { method: 'POST', body: form, signal }),
		)
		return reply.subfolder ? `${reply.subfolder}/${reply.name}` : reply.name
	}

	/**
	 * Queues a graph. Newer builds keep our `prompt_id`; older ones make their own, so the id to
	 * follow is always the one in the reply.
	 */
	async submit(
		graph: ApiGraph,
		options: { promptId: string; extraPngInfo: Record<string, unknown>; signal?: AbortSignal },
	): Promise<string> {
		const body = {
			prompt: graph,
			client_id: this.clientId,
			prompt_id: options.promptId,
			extra_data: { extra_pnginfo: options.extraPngInfo },
		}
		const reply = PromptReplySchema.safeParse(
			await this.json('/prompt', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				signal: options.signal,
			}),
		)
		if (!reply.success)
			throw new EngineRefusedError('validation', `${ENGINE}: /prompt gave no prompt_id`)
		return reply.data.prompt_id
	}

	/** The prompt's history entry, or null while it has none (running, or history lagging). */
	async history(promptId: string, signal?: AbortSignal): Promise<HistoryEntry | null> {
		const body = await this.json(`/history/${encodeURIComponent(promptId)}`, { signal })
		const entry = (body as Record<string, unknown> | null)?.[promptId]
		if (!entry) return null
		const parsed = HistoryEntrySchema.safeParse(entry)
		return parsed.success ? parsed.data : null
	}

	async view(ref: ImageRef, signal?: AbortSignal): Promise<Uint8Array> {
		const query = new URLSearchParams({
			filename: ref.filename,
			subfolder: ref.subfolder,
			type: ref.type,
		})
		const res = await this.call(`/view?${query}`, { signal })
		if (!res.ok) throw httpError(ENGINE, res.status, `/view answered ${res.status}`)
		return new Uint8Array(await res.arrayBuffer())
	}

	/**
	 * Stops a prompt, pending or running: `POST /api/jobs/{id}/cancel` on builds with `/features`,
	 * else `/queue {delete}` (pending) + `/interrupt {prompt_id}` (running).
	 */
	async cancel(promptId: string, signal?: AbortSignal): Promise<void> {
		const post = (path: string, body?: unknown) =>
			this.json(path, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body ?? {}),
				signal,
			})
		if (await this.hasFeatures(signal)) {
			await post(`/api/jobs/${encodeURIComponent(promptId)}/cancel`)
			return
		}
		await post('/queue', { delete: [promptId] })
		await post('/interrupt', { prompt_id: promptId })
	}

	/** Routes the prompt's frames to `listener` until the returned function is called. */
	listen(promptId: string, listener: PromptListener): () => void {
		this.listeners.set(promptId, listener)
		return () => {
			this.listeners.delete(promptId)
		}
	}

	/**
	 * Opens the websocket (once) before a prompt is submitted, so no frame is missed. A socket
	 * that cannot open is not fatal: completion is also confirmed through `/history`.
	 */
	connect(timeoutMs = 5000): Promise<void> {
		if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve()
		this.opening ??= new Promise<void>((resolve) => {
			const url = `${this.base.replace(/^http/, 'ws')}/ws?clientId=${this.clientId}`
			const socket = new WebSocket(url)
			const settle = () => {
				clearTimeout(timer)
				this.opening = null
				resolve()
			}
			const timer = setTimeout(settle, timeoutMs)
			socket.on('open', () => {
				socket.send(
					JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }),
				)
				this.socket = socket
				settle()
			})
			socket.on('message', (data, isBinary) => this.onMessage(data, isBinary))
			// Errors surface as close; a dropped socket reopens on the next prompt, and the
			// prompt in flight finishes through /history polling.
			socket.on('error', () => settle())
			socket.on('close', () => {
				if (this.socket === socket) this.socket = null
				settle()
				if (!this.closed && this.listeners.size > 0)
					setTimeout(() => void this.connect(), this.options.reconnectMs ?? 1000).unref()
			})
		})
		return this.opening
	}

	private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
		const bytes = Array.isArray(data)
			? Buffer.concat(data)
			: data instanceof ArrayBuffer
				? Buffer.from(data)
				: data
		if (isBinary) {
			const preview = parseBinaryFrame(new Uint8Array(bytes))
			const target = preview?.promptId ?? this.executing
			if (preview && target) this.listeners.get(target)?.preview(preview)
			return
		}
		let parsed: WsFrame
		try {
			parsed = WsFrameSchema.parse(JSON.parse(bytes.toString('utf8')))
		} catch {
			return
		}
		const promptId = parsed.data?.prompt_id
		if (parsed.type === 'execution_start' && promptId) this.executing = promptId
		if (!promptId) return
		this.listeners.get(promptId)?.frame(parsed)
	}

	close(): void {
		this.closed = true
		this.socket?.close()
		this.socket = null
	}
}
