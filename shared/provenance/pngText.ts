import { unzlibSync } from 'fflate'
import { crc32 } from './crc32'

/**
 * PNG text chunks on raw bytes (Uint8Array), no Node or DOM APIs: reading tEXt, zTXt and iTXt,
 * and writing tEXt (Latin-1 text) or iTXt (anything else, UTF-8) the way PIL's `add_text` does —
 * which is how AUTOMATIC1111 and ComfyUI write theirs.
 */

export interface PngTextChunk {
	type: 'tEXt' | 'zTXt' | 'iTXt'
	keyword: string
	text: string
	/** iTXt only. */
	languageTag?: string
	translatedKeyword?: string
}

/** The bytes are not a PNG, or its chunk structure is broken. */
export class PngFormatError extends Error {
	constructor(message: string) {
		super(message)
		this.name = 'PngFormatError'
	}
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const TEXT_TYPES = new Set(['tEXt', 'zTXt', 'iTXt'])
const utf8 = new TextDecoder('utf-8', { fatal: false })

export function isPng(bytes: Uint8Array): boolean {
	return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b)
}

interface RawChunk {
	type: string
	/** Offset of the chunk's length field; the chunk spans [start, end). */
	start: number
	end: number
	data: Uint8Array
	crcOk: () => boolean
}

function* chunks(png: Uint8Array): Generator<RawChunk> {
	if (!isPng(png)) throw new PngFormatError('Not a PNG: the signature is missing.')
	const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
	let offset = 8
	while (offset < png.length) {
		if (offset + 12 > png.length)
			throw new PngFormatError('Truncated PNG: a chunk header is cut off.')
		const length = view.getUint32(offset)
		const end = offset + 12 + length
		if (end > png.length) throw new PngFormatError('Truncated PNG: a chunk runs past the end.')
		const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8))
		const start = offset
		yield {
			type,
			start,
			end,
			data: png.subarray(offset + 8, offset + 8 + length),
			crcOk: () => crc32(png, start + 4, end - 4) === view.getUint32(end - 4),
		}
		if (type === 'IEND') return
		offset = end
	}
	throw new PngFormatError('Truncated PNG: no IEND chunk.')
}

/** Latin-1 bytes → string, byte for byte (TextDecoder's "latin1" is really windows-1252). */
function latin1(bytes: Uint8Array): string {
	let out = ''
	for (let i = 0; i < bytes.length; i += 8192)
		out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192)))
	return out
}

function parseText(type: string, data: Uint8Array): PngTextChunk | null {
	const nul = data.indexOf(0)
	if (nul < 1) return null
	const keyword = latin1(data.subarray(0, nul))
	if (type === 'tEXt') return { type, keyword, text: latin1(data.subarray(nul + 1)) }
	if (type === 'zTXt') {
		if (data[nul + 1] !== 0) return null
		return { type, keyword, text: latin1(unzlibSync(data.subarray(nul + 2))) }
	}
	const compressed = data[nul + 1] === 1
	const langEnd = data.indexOf(0, nul + 3)
	const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1)
	if (transEnd < 0 || (compressed && data[nul + 2] !== 0)) return null
	const body = data.subarray(transEnd + 1)
	return {
		type: 'iTXt',
		keyword,
		text: utf8.decode(compressed ? unzlibSync(body) : body),
		languageTag: latin1(data.subarray(nul + 3, langEnd)),
		translatedKeyword: utf8.decode(data.subarray(langEnd + 1, transEnd)),
	}
}

/**
 * Every text chunk in a PNG, in file order. A text chunk with a bad CRC or an undecodable body is
 * skipped (metadata is best-effort); a broken PNG structure throws PngFormatError.
 */
export function readPngTextChunks(png: Uint8Array): PngTextChunk[] {
	const found: PngTextChunk[] = []
	for (const chunk of chunks(png)) {
		if (!TEXT_TYPES.has(chunk.type) || !chunk.crcOk()) continue
		try {
			const text = parseText(chunk.type, chunk.data)
			if (text) found.push(text)
		} catch {
			// A corrupt zlib stream in one chunk: skip it, like a bad CRC; the rest still count.
		}
	}
	return found
}

function isLatin1(text: string): boolean {
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false
	return true
}

function latin1Bytes(text: string): Uint8Array {
	return Uint8Array.from(text, (c) => c.charCodeAt(0))
}

function checkKeyword(keyword: string): void {
	if (
		keyword.length < 1 ||
		keyword.length > 79 ||
		!isLatin1(keyword) ||
		/[\0\n]|^ | $| {2}/.test(keyword)
	)
		throw new Error(`"${keyword}" is not a valid PNG text keyword (1–79 Latin-1 characters).`)
}

/** One PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
	const out = new Uint8Array(12 + data.length)
	const view = new DataView(out.buffer)
	view.setUint32(0, data.length)
	for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
	out.set(data, 8)
	view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length))
	return out
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
	let offset = 0
	for (const part of parts) {
		out.set(part, offset)
		offset += part.length
	}
	return out
}

/** One text chunk: tEXt when the text is Latin-1, else an uncompressed UTF-8 iTXt. */
export function encodeTextChunk(keyword: string, text: string): Uint8Array {
	checkKeyword(keyword)
	const key = latin1Bytes(keyword)
	if (isLatin1(text))
		return pngChunk('tEXt', concatBytes([key, Uint8Array.of(0), latin1Bytes(text)]))
	// keyword \0, compression flag 0, method 0, empty language tag \0, empty translation \0.
	const header = Uint8Array.of(0, 0, 0, 0, 0)
	return pngChunk('iTXt', concatBytes([key, header, new TextEncoder().encode(text)]))
}

/**
 * A copy of `png` carrying these text entries, placed before the first IDAT. Existing text chunks
 * with the same keywords are dropped, so writing twice never duplicates. Pixels are untouched.
 *
 * @example writePngTextChunks(png, [['parameters', infotext], ['arbor', json]])
 */
export function writePngTextChunks(
	png: Uint8Array,
	entries: ReadonlyArray<readonly [string, string]>,
): Uint8Array {
	const encoded = entries.map(([keyword, text]) => encodeTextChunk(keyword, text))
	const replaced = new Set(entries.map(([keyword]) => keyword))
	const parts: Uint8Array[] = [png.subarray(0, 8)]
	let inserted = false
	for (const c of chunks(png)) {
		if (c.type === 'IDAT' && !inserted) {
			parts.push(...encoded)
			inserted = true
		}
		if (TEXT_TYPES.has(c.type)) {
			const nul = c.data.indexOf(0)
			if (nul > 0 && replaced.has(latin1(c.data.subarray(0, nul)))) continue
		}
		parts.push(png.subarray(c.start, c.end))
	}
	if (!inserted) throw new PngFormatError('PNG has no IDAT chunk.')
	return concatBytes(parts)
}
