import { randomUUID } from 'node:crypto'
import sharp from 'sharp'
import {
	type EngineCapabilities,
	type EngineHealth,
	type EngineRecord,
	sizeFor,
} from '../../shared/engines'
import type { BackendInfo, GeneratedImage } from '../../shared/jobPayload'
import { OP_NAMES } from '../../shared/ops/catalogue'
import { EngineRefusedError, EngineUnavailableError, isAbortError } from '../errors'
import type { Engine, GenerateOptions, GenerateRequest, PreviewMime } from '../types'
import { ComfyClient, ENGINE } from './client'
import type { HistoryEntry, ImageRef, WsFrame } from './protocol'
import { type BuiltWorkflow, builtinWorkflow, customWorkflow } from './workflows'

export const COMFYUI_CAPABILITIES: EngineCapabilities = {
	ops: [...OP_NAMES],
	// SD latents are 1/8 of the image: any multiple of 8 from 64 px.
	size: { kind: 'multiple', multiple: 8, min: 64, max: 4096 },
	seeds: true,
	maxBatch: 4,
	previews: true,
	upscaleFactors: [2, 4],
}

export interface ComfyEngineOptions {
	/** `ARBOR_COMFYUI_URL`. */
	url: string
	/** `ARBOR_COMFYUI_CHECKPOINT`; else the first of `/models/checkpoints`. */
	checkpoint?: string
	/** An upscale model file; else the first of `/models/upscale_models`, else lanczos alone. */
	upscaleModel?: string
	/** How often `/history` is polled while a prompt runs (the websocket usually ends it sooner). */
	pollMs?: number
	logger?: { warn(obj: object, msg: string): void }
}

/** Why an `execution_error` happened, classified: out of memory is retried, the rest refused. */
function executionError(data: Record<string, unknown>): Error {
	const type = String(data.exception_type ?? 'Error')
	const message = String(data.exception_message ?? '').trim()
	const where = `${data.node_type ?? 'a node'}${data.node_id ? ` (node ${data.node_id})` : ''}`
	const text = `${ENGINE}: ${where} failed: ${type}: ${message}`.slice(0, 480)
	if (/OutOfMemory/i.test(type) || /out of memory/i.test(message))
		return new EngineUnavailableError('out_of_memory', text)
	return new EngineRefusedError('rejected', text)
}

/** A history entry that ended in an error: the error its messages carry. */
function historyError(entry: HistoryEntry): Error | null {
	if (entry.status?.status_str !== 'error') return null
	const failure = entry.status.messages?.find(([event]) => event === 'execution_error')
	if (failure && typeof failure[1] === 'object' && failure[1] !== null)
		return executionError(failure[1] as Record<string, unknown>)
	const interrupted = entry.status.messages?.some(([event]) => event === 'execution_interrupted')
	return new EngineUnavailableError(
		'unavailable',
		`${ENGINE}: the prompt ${interrupted ? 'was interrupted' : 'failed'} on the engine's side`,
	)
}

function outputsOf(entry: HistoryEntry): ImageRef[] {
	return Object.entries(entry.outputs)
		.sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b))
		.flatMap(([, o]) => o.images ?? [])
		.filter((ref) => ref.type === 'output')
}

/**
 * The ComfyUI adapter: each op runs as an API-format graph (Arbor's built-in one, or the team's
 * registered workflow for that op), the parent uploaded first; progress and previews come from
 * the websocket, outputs are confirmed through `/history` (it lags `execution_success`) and
 * fetched from `/view`. Cancel (and the deadline) cancel the prompt on the engine.
 *
 * @example createComfyEngine({ url: 'http://127.0.0.1:8188' })
 */
export function createComfyEngine(options: ComfyEngineOptions): Engine {
	const client = new ComfyClient({ url: options.url })
	const pollMs = options.pollMs ?? 1000
	let defaultCheckpoint: Promise<string> | null = null
	let upscaleModel: Promise<string | null> | null = null
	const info: BackendInfo = {
		backend: 'comfyui',
		model: options.checkpoint ?? 'default checkpoint',
		version: '1.0.0',
	}

	const checkpointFor = (request: GenerateRequest, signal: AbortSignal) => {
		if (request.model) return Promise.resolve(request.model)
		if (options.checkpoint) return Promise.resolve(options.checkpoint)
		defaultCheckpoint ??= client.checkpoints(signal).then((names) => {
			if (names.length === 0)
				throw new EngineRefusedError(
					'validation',
					`${ENGINE} has no checkpoint in models/checkpoints`,
				)
			return names[0]
		})
		// A failed discovery is asked again next time.
		defaultCheckpoint.catch(() => {
			defaultCheckpoint = null
		})
		return defaultCheckpoint
	}
	const upscaleModelFor = (signal: AbortSignal) => {
		if (options.upscaleModel) return Promise.resolve(options.upscaleModel)
		upscaleModel ??= client.upscaleModels(signal).then((names) => names[0] ?? null)
		upscaleModel.catch(() => {
			upscaleModel = null
		})
		return upscaleModel
	}

	/** Runs one graph to its outputs: submit, follow the socket, confirm through /history. */
	async function run(
		built: BuiltWorkflow,
		extraPngInfo: Record<string, unknown>,
		progress: { onProgress(f: number): void; onPreview: GenerateOptions['onPreview'] },
		signal: AbortSignal,
	): Promise<{ promptId: string; images: Uint8Array[] }> {
		await client.connect()
		let finished = false
		let failure: Error | null = null
		let wake = () => {}
		const onFrame = (frame: WsFrame) => {
			const data = (frame.data ?? {}) as Record<string, unknown>
			if (
				frame.type === 'progress' &&
				typeof data.value === 'number' &&
				typeof data.max === 'number'
			)
				progress.onProgress(Math.min(1, data.value / Math.max(1, data.max)))
			else if (frame.type === 'execution_success') finished = true
			else if (frame.type === 'executing' && data.node === null) finished = true
			else if (frame.type === 'execution_error') failure = executionError(data)
			else if (frame.type === 'execution_interrupted' && !signal.aborted)
				failure = new EngineUnavailableError(
					'unavailable',
					`${ENGINE}: the prompt was interrupted on the engine's side`,
				)
			wake()
		}
		const wanted: string = randomUUID()
		let promptId = wanted
		const listener = {
			frame: onFrame,
			preview: (p: { mime: PreviewMime; bytes: Uint8Array }) =>
				progress.onPreview?.({ mime: p.mime, bytes: p.bytes }),
		}
		const stops = [client.listen(wanted, listener)]
		let submitted = false
		try {
			promptId = await client.submit(built.graph, { promptId: wanted, extraPngInfo, signal })
			submitted = true
			// An old build made its own id: follow that one.
			if (promptId !== wanted) stops.push(client.listen(promptId, listener))
			for (;;) {
				signal.throwIfAborted()
				if (failure) throw failure
				const entry = await client.history(promptId, signal)
				if (entry) {
					const error = historyError(entry)
					if (error) throw error
					const refs = outputsOf(entry)
					if (refs.length > 0 && (entry.status?.completed ?? true)) {
						const images = await Promise.all(refs.map((ref) => client.view(ref, signal)))
						return { promptId, images }
					}
				}
				// Until the socket says it ended, poll slowly; after, history is catching up.
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, finished ? Math.min(50, pollMs) : pollMs)
					wake = () => {
						clearTimeout(timer)
						resolve()
					}
					signal.addEventListener('abort', wake, { once: true })
				})
			}
		} catch (err) {
			if (signal.aborted && submitted) {
				// The job was cancelled or timed out: free the GPU too. Failing to reach the engine
				// now changes nothing for the job, so it is logged and the abort stands.
				await client
					.cancel(promptId, AbortSignal.timeout(5000))
					.catch((e: unknown) =>
						options.logger?.warn({ err: String(e), promptId }, 'ComfyUI cancel failed'),
					)
			}
			if (signal.aborted && !isAbortError(err) && err !== signal.reason) throw signal.reason
			throw err
		} finally {
			for (const stop of stops) stop()
		}
	}

	return {
		info,
		capabilities: COMFYUI_CAPABILITIES,
		async models({ signal } = {}) {
			const names = await client.checkpoints(signal)
			return names.map((name) => ({ id: name, name, hash: null }))
		},
		async health({ signal } = {}): Promise<EngineHealth> {
			const stats = await client.systemStats(signal)
			return {
				version: stats.system?.comfyui_version ?? null,
				devices: stats.devices.map((d) => ({
					name: d.name,
					type: d.type ?? null,
					vramTotal: d.vram_total ?? null,
					vramFree: d.vram_free ?? null,
				})),
			}
		},
		async generate(request, { signal, onProgress, onPreview }) {
			signal.throwIfAborted()
			const checkpoint = await checkpointFor(request, signal)
			const size = sizeFor(COMFYUI_CAPABILITIES.size, request)
			const parentName =
				'parent' in request
					? await client.upload(request.parent.png, `arbor-${randomUUID()}.png`, signal)
					: null
			const ctx = {
				checkpoint,
				upscaleModel: request.op === 'upscale' ? await upscaleModelFor(signal) : null,
				parentName,
				size: request.op === 'upscale' ? { width: request.width, height: request.height } : size,
			}
			const custom = request.workflow ?? null
			// A custom graph without a batch binding makes one image a run: one run per seed.
			const perRun = custom && !custom.bindings.batchSize ? 1 : COMFYUI_CAPABILITIES.maxBatch
			const chunks: number[][] = []
			for (let i = 0; i < request.seeds.length; i += perRun)
				chunks.push(request.seeds.slice(i, i + perRun))
			const images: GeneratedImage[] = []
			for (const [k, seeds] of chunks.entries()) {
				const part = { ...request, seeds }
				const built = custom ? customWorkflow(part, custom, ctx) : builtinWorkflow(part, ctx)
				const share = (f: number) => onProgress((k + f * 0.95) / chunks.length)
				const { promptId, images: outputs } = await run(
					built,
					{
						arbor: { op: request.op, model: checkpoint, seeds, workflow: built.settings.workflow },
					},
					{ onProgress: share, onPreview },
					signal,
				)
				if (outputs.length < seeds.length)
					throw new EngineUnavailableError(
						'unavailable',
						`${ENGINE} returned ${outputs.length} images for ${seeds.length}`,
					)
				for (const [i, seed] of seeds.entries()) {
					const png = await fitPng(outputs[i], request)
					const record: EngineRecord = {
						engine: 'comfyui',
						model:
							request.op === 'upscale' && request.params.mode === 'subtle'
								? (ctx.upscaleModel ?? 'lanczos')
								: checkpoint,
						modelHash: null,
						sampler: built.settings.sampler,
						scheduler: built.settings.scheduler,
						steps: built.settings.steps,
						cfg: built.settings.cfg,
						denoise: built.settings.denoise,
						seed: built.settings.seed,
						extras: {
							promptId,
							workflow: built.settings.workflow,
							batchIndex: i,
							...(ctx.upscaleModel && request.op === 'upscale'
								? { upscaler: ctx.upscaleModel }
								: {}),
						},
					}
					images.push({
						index: images.length,
						seed,
						width: request.width,
						height: request.height,
						png,
						record,
					})
				}
			}
			onProgress(1)
			return images
		},
		async close() {
			client.close()
		},
	}
}

/** The engine's PNG at exactly the request's size (resized only when the engine painted another). */
async function fitPng(
	bytes: Uint8Array,
	size: { width: number; height: number },
): Promise<Uint8Array> {
	const meta = await sharp(bytes).metadata()
	if (meta.format === 'png' && meta.width === size.width && meta.height === size.height)
		return bytes
	return new Uint8Array(
		await sharp(bytes)
			.resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
			.png()
			.toBuffer(),
	)
}
