import { isPng, readPngTextChunks } from '../../shared/provenance/pngText'
import { type Recall, recallFromPng } from '../../shared/provenance/recall'

/** What the server accepts for an upload (it checks again, by decoding). */
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp'

/**
 * The image type the bytes really are, from their signature: a file's name and its `type` are
 * only claims (and dragged files often have no type at all).
 */
export function sniffImageType(bytes: Uint8Array): ImageMime | null {
	if (isPng(bytes)) return 'image/png'
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'image/jpeg'
	const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
	if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp'
	return null
}

export type DropPlan =
	| { kind: 'recall'; recall: Recall }
	| { kind: 'upload'; mime: ImageMime }
	| { kind: 'reject'; message: string }

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/**
 * What to do with a dropped file: a PNG that says how it was made (Arbor, A1111 or ComfyUI
 * metadata) becomes a recall prompt card; any other PNG, JPEG or WebP is uploaded as an image
 * node; anything else is refused with a sentence saying why.
 */
export function planDrop(file: {
	name: string
	/** The whole file's size; `bytes` may be only its start when it is too big to upload anyway. */
	size: number
	bytes: Uint8Array
}): DropPlan {
	const name = file.name || 'That file'
	const mime = sniffImageType(file.bytes)
	if (!mime) {
		return {
			kind: 'reject',
			message: `“${name}” isn’t an image Arbor can use. Drop a PNG, JPEG or WebP.`,
		}
	}
	if (mime === 'image/png') {
		let recall: Recall | null = null
		try {
			recall = recallFromPng(readPngTextChunks(file.bytes))
		} catch {
			// A PNG whose chunks don't parse carries no usable metadata: the server decides whether
			// its pixels are readable when it is uploaded.
			recall = null
		}
		if (recall?.prompt.trim()) return { kind: 'recall', recall }
	}
	if (file.size > UPLOAD_MAX_BYTES) {
		return {
			kind: 'reject',
			message: `“${name}” is ${megabytes(file.size)}; images can be up to ${megabytes(UPLOAD_MAX_BYTES)}.`,
		}
	}
	return { kind: 'upload', mime }
}
