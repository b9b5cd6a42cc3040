import { z } from 'zod'

// ComfyUI's wire format, as much of it as Arbor reads (shared/BACKENDS.md; ComfyUI's server.py,
// execution.py, protocol.py). Loose objects: newer builds add fields.

/** An API-format graph: `{ "<node id>": { class_type, inputs } }`, links as `["<id>", <slot>]`. */
export const ApiNodeSchema = z.looseObject({
	class_type: z.string().min(1),
	inputs: z.record(z.string(), z.unknown()),
})
export const ApiGraphSchema = z.record(z.string(), ApiNodeSchema)
export type ApiGraph = z.infer<typeof ApiGraphSchema>

export const PromptReplySchema = z.looseObject({
	prompt_id: z.string(),
	number: z.number().optional(),
	node_errors: z.record(z.string(), z.unknown()).optional(),
})

const NodeErrorSchema = z.looseObject({
	errors: z.array(
		z.looseObject({ message: z.string().optional(), details: z.string().optional() }),
	),
	class_type: z.string().optional(),
})

/** A 400 from `POST /prompt`: the graph failed validation before it was queued. */
export const PromptErrorSchema = z.looseObject({
	error: z
		.union([
			z.looseObject({ type: z.string().optional(), message: z.string().optional() }),
			z.string(),
		])
		.optional(),
	node_errors: z.record(z.string(), NodeErrorSchema).optional(),
})

export const ImageRefSchema = z.looseObject({
	filename: z.string(),
	subfolder: z.string().default(''),
	type: z.string().default('output'),
})
export type ImageRef = z.infer<typeof ImageRefSchema>

export const HistoryEntrySchema = z.looseObject({
	outputs: z.record(z.string(), z.looseObject({ images: z.array(ImageRefSchema).optional() })),
	status: z
		.looseObject({
			status_str: z.string().optional(),
			completed: z.boolean().optional(),
			messages: z.array(z.tuple([z.string(), z.unknown()])).optional(),
		})
		.optional(),
})
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>

export const UploadReplySchema = z.looseObject({
	name: z.string(),
	subfolder: z.string().default(''),
	type: z.string().default('input'),
})

export const SystemStatsSchema = z.looseObject({
	system: z.looseObject({ comfyui_version: z.string().optional() }).optional(),
	devices: z
		.array(
			z.looseObject({
				name: z.string(),
				type: z.string().optional(),
				vram_total: z.number().optional(),
				vram_free: z.number().optional(),
			}),
		)
		.default([]),
})

/** `GET /object_info`: per class, its inputs (`required`/`optional`: name → [type or choices, options]). */
export const ObjectInfoSchema = z.record(
	z.string(),
	z.looseObject({
		input: z
			.looseObject({
				required: z.record(z.string(), z.unknown()).optional(),
				optional: z.record(z.string(), z.unknown()).optional(),
			})
			.optional(),
	}),
)
export type ObjectInfo = z.infer<typeof ObjectInfoSchema>

/** JSON websocket frames Arbor acts on; others (status, executing…) are read loosely. */
export const WsFrameSchema = z.looseObject({
	type: z.string(),
	data: z.looseObject({ prompt_id: z.string().optional() }).optional(),
})
export type WsFrame = z.infer<typeof WsFrameSchema>

export const BINARY_PREVIEW = 1
export const BINARY_PREVIEW_WITH_METADATA = 4

export interface BinaryPreview {
	mime: 'image/jpeg' | 'image/png' | 'image/webp'
	bytes: Uint8Array
	/** Only type 4 frames name their prompt. */
	promptId: string | null
}

/**
 * A binary websocket frame: `[u32 1][u32 1=JPEG|2=PNG][bytes]`, or (after the client's
 * `feature_flags`) `[u32 4][u32 len][JSON {prompt_id, node_id, image_type}][bytes]`. Other event
 * types are ignored (null).
 */
export function parseBinaryFrame(frame: Uint8Array): BinaryPreview | null {
	if (frame.byteLength < 8) return null
	const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
	const type = view.getUint32(0)
	if (type === BINARY_PREVIEW) {
		const format = view.getUint32(4)
		return {
			mime: format === 2 ? 'image/png' : 'image/jpeg',
			bytes: frame.slice(8),
			promptId: null,
		}
	}
	if (type === BINARY_PREVIEW_WITH_METADATA) {
		const length = view.getUint32(4)
		if (8 + length > frame.byteLength) return null
		let meta: { prompt_id?: unknown; image_type?: unknown } = {}
		try {
			meta = JSON.parse(new TextDecoder().decode(frame.subarray(8, 8 + length)))
		} catch {
			return null
		}
		const mime =
			meta.image_type === 'image/png' || meta.image_type === 'image/webp'
				? meta.image_type
				: 'image/jpeg'
		const promptId = typeof meta.prompt_id === 'string' ? meta.prompt_id : null
		return { mime, bytes: frame.slice(8 + length), promptId }
	}
	return null
}

/** A one-line summary of a validation failure, from `node_errors` when the engine gives them. */
export function describePromptError(body: unknown): string {
	const parsed = PromptErrorSchema.safeParse(body)
	if (!parsed.success) return 'the workflow was refused'
	const { error, node_errors } = parsed.data
	const head = typeof error === 'string' ? error : (error?.message ?? 'the workflow was refused')
	const nodes = Object.entries(node_errors ?? {}).map(([id, n]) => {
		const first = n.errors[0]
		const what = [first?.message, first?.details].filter(Boolean).join(': ')
		return `node ${id}${n.class_type ? ` (${n.class_type})` : ''}: ${what}`
	})
	return [head, ...nodes.slice(0, 3)].join('; ')
}
