const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const IEND = [0x49, 0x45, 0x4e, 0x44]

/**
 * Width and height of a PNG, read from its header, or null when the bytes are not a complete PNG
 * (no signature, IHDR not first, no IEND at the end). Cheap: it decodes nothing; the asset store
 * decodes the pixels when it makes the thumbnail.
 */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
	if (bytes.length < 8 + 25 + 12) return null
	if (SIGNATURE.some((b, i) => bytes[i] !== b)) return null
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
	const ihdr = String.fromCharCode(...bytes.subarray(12, 16))
	if (view.getUint32(8) !== 13 || ihdr !== 'IHDR') return null
	const end = bytes.length - 8
	if (IEND.some((b, i) => bytes[end + i] !== b)) return null
	const width = view.getUint32(16)
	const height = view.getUint32(20)
	if (width === 0 || height === 0) return null
	return { width, height }
}
