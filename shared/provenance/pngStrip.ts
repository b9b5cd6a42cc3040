import { concatBytes, isPng, PngFormatError } from './pngText'

/**
 * Chunks that carry words rather than pixels: text (where A1111, ComfyUI and Arbor put prompts,
 * seeds and workflows), EXIF and the modification time. Everything else is kept byte for byte.
 */
const METADATA_TYPES = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME'])

/**
 * A copy of `png` with every metadata chunk removed: the same pixels, nothing said about how
 * they were made. For readers who may see an image but not its provenance (the client view): an
 * uploaded PNG can carry its own `parameters` from another tool, so stripping beats trusting.
 *
 * @example stripPngMetadata(await assets.read(sha256, 'full'))
 */
export function stripPngMetadata(png: Uint8Array): Uint8Array {
	if (!isPng(png)) throw new PngFormatError('Not a PNG: the signature is missing.')
	const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
	const parts: Uint8Array[] = [png.subarray(0, 8)]
	let offset = 8
	for (;;) {
		if (offset + 12 > png.length) throw new PngFormatError('Truncated PNG: no IEND chunk.')
		const end = offset + 12 + view.getUint32(offset)
		if (end > png.length) throw new PngFormatError('Truncated PNG: a chunk runs past the end.')
		const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8))
		if (!METADATA_TYPES.has(type)) parts.push(png.subarray(offset, end))
		if (type === 'IEND') return concatBytes(parts)
		offset = end
	}
}
