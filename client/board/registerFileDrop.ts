import { createShapeId, type Editor, type JsonObject } from 'tldraw'
import { PROMPT_CARD_SIZE } from '../../shared/layout'
import { PROMPT_MAX_LENGTH } from '../../shared/ops/params'
import { jobShapeIds } from '../../shared/records'
import { PROMPT_SHAPE, type PromptShape } from '../../shared/shapes/promptShape'
import { api } from '../api/client'
import { recallMetaFor } from '../shapes/prompt/recallMeta'
import { describeError } from '../ui/describeError'
import type { ActiveCandidate } from './BoardContext'
import { planDrop } from './fileDrop'
import { revealWhenReady } from './reveal'

export interface FileDropContext {
	boardId: string
	canEdit: boolean
	userName: string
	notify(kind: 'info' | 'success' | 'error', message: string): void
	pick(candidate: ActiveCandidate): void
}

/** A recall card has room for its source line and the Run button under the prompt. */
export const RECALL_CARD_SIZE = { w: PROMPT_CARD_SIZE.w, h: 196 } as const
// Recall needs the PNG's text chunks, which may sit after the pixels: read the whole file, up to
// this. Anything bigger is refused by size anyway, so its first bytes (the type) are enough.
const READ_WHOLE_UP_TO = 48 * 1024 * 1024
const CASCADE = 36

async function readBytes(file: File): Promise<Uint8Array> {
	const blob = file.size > READ_WHOLE_UP_TO ? file.slice(0, 64) : file
	return new Uint8Array(await blob.arrayBuffer())
}

async function dropOne(
	editor: Editor,
	context: FileDropContext,
	file: File,
	at: { x: number; y: number },
) {
	const plan = planDrop({ name: file.name, size: file.size, bytes: await readBytes(file) })
	if (plan.kind === 'reject') {
		context.notify('error', plan.message)
		return
	}
	if (plan.kind === 'recall') {
		const { recall } = plan
		const id = createShapeId()
		editor.markHistoryStoppingPoint('recall a prompt')
		editor.createShape<PromptShape>({
			id,
			type: PROMPT_SHAPE,
			x: at.x - RECALL_CARD_SIZE.w / 2,
			y: at.y - RECALL_CARD_SIZE.h / 2,
			props: {
				...RECALL_CARD_SIZE,
				prompt: recall.prompt.trim().slice(0, PROMPT_MAX_LENGTH),
				aspectRatio: recall.aspectRatio ?? '1:1',
				author: context.userName,
				jobId: '',
			},
			meta: { recall: recallMetaFor(recall, file.name) as JsonObject },
		})
		editor.select(id)
		return
	}
	try {
		const { job, image } = await api.uploadImage(
			context.boardId,
			{ body: file, contentType: plan.mime },
			at,
		)
		const node = jobShapeIds(job.id).node
		revealWhenReady(editor, node, [], () =>
			context.pick({ shapeId: node, index: 0, imageId: image.id }),
		)
		context.notify('success', 'Image added: steer it like any candidate.')
	} catch (error) {
		context.notify('error', describeError(error, 'generic'))
	}
}

/**
 * Replaces tldraw's file drop (and paste, and its insert-media button, which all arrive as
 * `files`): dropped PNGs that say how they were made become recall prompt cards, other images
 * become upload nodes on the record, and anything else is refused with a toast. tldraw's own
 * image assets are never created: pixels live in Arbor's asset store, not in the doc.
 * Call from `<Tldraw onMount>`, after tldraw registered its defaults.
 */
export function registerFileDrop(editor: Editor, getContext: () => FileDropContext | null) {
	editor.registerExternalContentHandler('files', async ({ files, point }) => {
		const context = getContext()
		if (!context) return
		if (!context.canEdit) {
			context.notify('error', 'Only editors can add images to this board.')
			return
		}
		const origin = point ?? editor.getViewportPageBounds().center
		for (const [i, file] of files.entries()) {
			await dropOne(editor, context, file, { x: origin.x + i * CASCADE, y: origin.y + i * CASCADE })
		}
	})
}
