import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { type WebSocket, WebSocketServer } from 'ws'
import type { ApiGraph } from '../protocol'
import { executeGraph, objectInfo, validateGraph } from './fakeGraph'

// A fake ComfyUI for tests: a real HTTP + websocket server on port 0 speaking ComfyUI's wire
// format (shared/BACKENDS.md): client_id routing, JSON and binary preview frames (type 1, or 4
// after feature_flags), `/history` lagging `execution_success`, validation errors with
// `node_errors`, OOM as `execution_error`, interrupts and cancel, a hang mode, an old build
// without `/features`. It executes graphs minimally: real PNGs of the computed size.

export type FakeFault = 'oom' | 'hang' | 'http500'

export interface FakeComfyOptions {
	checkpoints?: string[]
	upscaleModels?: string[]
	/** An old build: no `/features`, no `/api/jobs/{id}/cancel`, ignores the client's prompt_id. */
	legacy?: boolean
	/** Sampler steps simulated per prompt, and the time each takes. Defaults 6 and 15 ms. */
	steps?: number
	stepMs?: number
	/** How long after `execution_success` the history entry appears. Default 60 ms. */
	historyLagMs?: number
}

interface Queued {
	promptId: string
	clientId: string
	graph: ApiGraph
	extraPngInfo: unknown
	fault: FakeFault | null
}

export interface FakeComfyUI {
	url: string
	/** Every accepted prompt, in order. */
	prompts: Queued[]
	/** Prompt ids cancelled by `/api/jobs/{id}/cancel`, `/queue {delete}` or `/interrupt`. */
	cancelled: string[]
	/**
	 * When each prompt's execution started and succeeded (performance.now()): the engine's own
	 * time, which the adapter-overhead benchmark subtracts.
	 */
	executions: { promptId: string; startedAt: number; finishedAt: number }[]
	uploads: Map<string, Uint8Array>
	/** The next `count` prompts fail this way. */
	failNext(fault: FakeFault, count?: number): void
	close(): Promise<void>
}

export async function startFakeComfyUI(options: FakeComfyOptions = {}): Promise<FakeComfyUI> {
	const checkpoints = options.checkpoints ?? ['sd_xl_base_1.0.safetensors', 'flux1-dev.safetensors']
	const upscaleModels = options.upscaleModels ?? ['RealESRGAN_x4plus.pth']
	const steps = options.steps ?? 6
	const stepMs = options.stepMs ?? 15
	const historyLagMs = options.historyLagMs ?? 60
	const uploads = new Map<string, Uint8Array>()
	const outputs = new Map<string, Uint8Array>()
	const history = new Map<string, unknown>()
	const sockets = new Map<string, { ws: WebSocket; metadata: boolean }>()
	const queue: Queued[] = []
	const prompts: Queued[] = []
	const cancelled: string[] = []
	const executions: FakeComfyUI['executions'] = []
	const faults: FakeFault[] = []
	let running: (Queued & { stop?: () => void }) | null = null
	let number = 0

	const info = () => objectInfo({ checkpoints, upscaleModels, inputs: [...uploads.keys()] })
	const send = (clientId: string, type: string, data: object) =>
		sockets.get(clientId)?.ws.send(JSON.stringify({ type, data }))
	const broadcastStatus = () => {
		for (const id of sockets.keys())
			send(id, 'status', {
				status: { exec_info: { queue_remaining: queue.length + (running ? 1 : 0) } },
			})
	}

	async function preview(job: Queued, step: number) {
		const socket = sockets.get(job.clientId)
		if (!socket) return
		const jpeg = await sharp({
			create: { width: 32, height: 32, channels: 3, background: { r: step * 30, g: 80, b: 160 } },
		})
			.jpeg()
			.toBuffer()
		if (socket.metadata) {
			const meta = Buffer.from(
				JSON.stringify({ prompt_id: job.promptId, node_id: '5', image_type: 'image/jpeg' }),
			)
			const head = Buffer.alloc(8)
			head.writeUInt32BE(4, 0)
			head.writeUInt32BE(meta.length, 4)
			socket.ws.send(Buffer.concat([head, meta, jpeg]))
		} else {
			const head = Buffer.alloc(8)
			head.writeUInt32BE(1, 0)
			head.writeUInt32BE(1, 4)
			socket.ws.send(Buffer.concat([head, jpeg]))
		}
	}

	const record = (job: Queued, status: object, out: object = {}) =>
		setTimeout(
			() =>
				history.set(job.promptId, {
					prompt: [number, job.promptId, job.graph],
					outputs: out,
					status,
				}),
			historyLagMs,
		)

	async function execute(job: Queued): Promise<void> {
		const { clientId, promptId } = job
		let interrupted = false
		const interruptedOr = () => interrupted
		running = { ...job, stop: () => (interrupted = true) }
		const startedAt = performance.now()
		send(clientId, 'execution_start', { prompt_id: promptId })
		send(clientId, 'executing', { node: '5', prompt_id: promptId })
		for (let step = 1; step <= steps || job.fault === 'hang'; step++) {
			await new Promise((r) => setTimeout(r, stepMs))
			if (interruptedOr()) break
			if (job.fault === 'hang') continue
			send(clientId, 'progress', { value: step, max: steps, prompt_id: promptId, node: '5' })
			if (step % 2 === 0) await preview(job, step)
			if (job.fault === 'oom' && step === 2) {
				const data = {
					prompt_id: promptId,
					node_id: '5',
					node_type: 'KSampler',
					exception_type: 'torch.OutOfMemoryError',
					exception_message: 'CUDA out of memory. Tried to allocate 2.00 GiB',
					traceback: [],
				}
				send(clientId, 'execution_error', data)
				record(job, {
					status_str: 'error',
					completed: false,
					messages: [['execution_error', data]],
				})
				return
			}
		}
		if (interrupted) {
			const data = { prompt_id: promptId, node_id: '5' }
			send(clientId, 'execution_interrupted', data)
			record(job, {
				status_str: 'error',
				completed: false,
				messages: [['execution_interrupted', data]],
			})
			return
		}
		const made = await executeGraph(job.graph, async (name) => {
			const meta = await sharp(uploads.get(name)!).metadata()
			return { width: meta.width!, height: meta.height! }
		})
		const out: Record<string, { images: object[] }> = {}
		for (const [node, pngs] of made) {
			out[node] = { images: [] }
			for (const [k, png] of pngs.entries()) {
				const filename = `arbor_${promptId.slice(0, 8)}_${node}_${k}.png`
				outputs.set(filename, png)
				out[node].images.push({ filename, subfolder: '', type: 'output' })
			}
			send(clientId, 'executed', { node, output: out[node], prompt_id: promptId })
		}
		executions.push({ promptId, startedAt, finishedAt: performance.now() })
		send(clientId, 'execution_success', { prompt_id: promptId })
		send(clientId, 'executing', { node: null, prompt_id: promptId })
		record(job, { status_str: 'success', completed: true, messages: [] }, out)
	}

	async function drain() {
		if (running) return
		const job = queue.shift()
		if (!job) return
		broadcastStatus()
		try {
			await execute(job)
		} finally {
			running = null
			broadcastStatus()
			void drain()
		}
	}

	const readBody = async (req: IncomingMessage) => {
		const chunks: Buffer[] = []
		for await (const chunk of req) chunks.push(chunk as Buffer)
		return Buffer.concat(chunks)
	}
	const json = (res: ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { 'content-type': 'application/json' })
		res.end(JSON.stringify(body))
	}

	function cancel(promptId: string) {
		const at = queue.findIndex((j) => j.promptId === promptId)
		if (at >= 0) {
			queue.splice(at, 1)
			cancelled.push(promptId)
			return true
		}
		if (running?.promptId === promptId) {
			running.stop?.()
			cancelled.push(promptId)
			return true
		}
		return false
	}

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://fake')
		let path = url.pathname
		if (path.startsWith('/api/') && !path.startsWith('/api/jobs/')) path = path.slice(4)
		const method = req.method ?? 'GET'
		if (method === 'GET' && path === '/features')
			return options.legacy
				? json(res, 404, {})
				: json(res, 200, { supports_preview_metadata: true })
		if (method === 'GET' && path === '/models/checkpoints') return json(res, 200, checkpoints)
		if (method === 'GET' && path === '/models/upscale_models') return json(res, 200, upscaleModels)
		if (method === 'GET' && path === '/object_info') return json(res, 200, info())
		if (method === 'GET' && path === '/system_stats')
			return json(res, 200, {
				system: { os: 'posix', comfyui_version: options.legacy ? '0.2.0' : '0.3.60' },
				devices: [
					{
						name: 'cuda:0 NVIDIA GeForce RTX 4090',
						type: 'cuda',
						index: 0,
						vram_total: 25_757_220_864,
						vram_free: 21_474_836_480,
					},
				],
			})
		if (method === 'POST' && path === '/upload/image') {
			const form = await new Response(new Uint8Array(await readBody(req)), {
				headers: { 'content-type': req.headers['content-type'] ?? '' },
			}).formData()
			const file = form.get('image')
			if (!(file instanceof Blob)) return json(res, 400, {})
			const name = file instanceof File && file.name ? file.name : `upload-${randomUUID()}.png`
			uploads.set(name, new Uint8Array(await file.arrayBuffer()))
			return json(res, 200, { name, subfolder: '', type: 'input' })
		}
		if (method === 'GET' && path === '/view') {
			const png = outputs.get(url.searchParams.get('filename') ?? '')
			if (!png) return json(res, 404, {})
			res.writeHead(200, { 'content-type': 'image/png' })
			return res.end(png)
		}
		if (method === 'POST' && path === '/prompt') {
			const fault = faults.shift() ?? null
			if (fault === 'http500') return json(res, 500, { error: 'Internal Server Error' })
			const body = JSON.parse((await readBody(req)).toString('utf8') || '{}')
			const invalid = validateGraph(body.prompt ?? {}, info())
			if (invalid)
				return json(res, 400, {
					error: {
						type: 'prompt_outputs_failed_validation',
						message: invalid.error,
						details: '',
						extra_info: {},
					},
					node_errors: invalid.nodeErrors,
				})
			const promptId =
				!options.legacy && typeof body.prompt_id === 'string' ? body.prompt_id : randomUUID()
			const job = {
				promptId,
				clientId: String(body.client_id ?? ''),
				graph: body.prompt,
				extraPngInfo: body.extra_data?.extra_pnginfo,
				fault,
			}
			prompts.push(job)
			queue.push(job)
			number += 1
			json(res, 200, { prompt_id: promptId, number, node_errors: {} })
			void drain()
			return
		}
		if (method === 'GET' && path.startsWith('/history/')) {
			const id = decodeURIComponent(path.slice('/history/'.length))
			const entry = history.get(id)
			return json(res, 200, entry ? { [id]: entry } : {})
		}
		if (method === 'POST' && path === '/queue') {
			const body = JSON.parse((await readBody(req)).toString('utf8') || '{}')
			for (const id of body.delete ?? []) {
				const at = queue.findIndex((j) => j.promptId === id)
				if (at >= 0) {
					queue.splice(at, 1)
					cancelled.push(id)
				}
			}
			return json(res, 200, {})
		}
		if (method === 'POST' && path === '/interrupt') {
			const body = JSON.parse((await readBody(req)).toString('utf8') || '{}')
			const id = typeof body.prompt_id === 'string' ? body.prompt_id : running?.promptId
			if (id && running?.promptId === id) cancel(id)
			return json(res, 200, {})
		}
		const cancelMatch = /^\/api\/jobs\/([^/]+)\/cancel$/.exec(path)
		if (method === 'POST' && cancelMatch && !options.legacy)
			return json(res, 200, { cancelled: cancel(decodeURIComponent(cancelMatch[1])) })
		return json(res, 404, { error: 'not found' })
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((err: unknown) => json(res, 500, { error: String(err) }))
	})
	const wss = new WebSocketServer({ noServer: true })
	server.on('upgrade', (req, socket, head) => {
		const url = new URL(req.url ?? '/', 'http://fake')
		if (url.pathname !== '/ws') return socket.destroy()
		wss.handleUpgrade(req, socket, head, (ws) => {
			const clientId = url.searchParams.get('clientId') || randomUUID().replace(/-/g, '')
			const entry = { ws, metadata: false }
			sockets.set(clientId, entry)
			ws.on('message', (data, isBinary) => {
				if (isBinary) return
				try {
					const msg = JSON.parse(String(data))
					if (msg.type === 'feature_flags' && !options.legacy)
						entry.metadata = msg.data?.supports_preview_metadata === true
				} catch {
					// ComfyUI ignores frames it cannot read; so does the fake.
				}
			})
			ws.on('close', () => {
				if (sockets.get(clientId) === entry) sockets.delete(clientId)
			})
			send(clientId, 'status', {
				status: { exec_info: { queue_remaining: queue.length } },
				sid: clientId,
			})
		})
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	const { port } = server.address() as AddressInfo
	return {
		url: `http://127.0.0.1:${port}`,
		prompts,
		cancelled,
		executions,
		uploads,
		failNext(fault, count = 1) {
			for (let k = 0; k < count; k++) faults.push(fault)
		},
		async close() {
			running?.stop?.()
			for (const { ws } of sockets.values()) ws.terminate()
			wss.close()
			server.closeAllConnections()
			await new Promise<void>((resolve) => server.close(() => resolve()))
		},
	}
}
